/**
 * Code that runs inside the page, as strings: the test files are compiled without the DOM
 * library (they are Node programs), and these few expressions are all they need of it.
 */

/** True once no load is under way and the run's generation passed `min` (or an error shows). */
export function settledExpression(min: number): string {
  return `(() => {
    const app = document.querySelector('[data-testid=app]');
    if (!app || app.getAttribute('data-loading') !== 'false') return false;
    return Number(app.getAttribute('data-generation')) > ${min} || document.querySelector('[data-testid=error]') !== null;
  })()`;
}

export function simTimeAboveExpression(ns: number): string {
  return `Number(document.querySelector('[data-testid=sim-time]')?.getAttribute('data-ns')) > ${ns}`;
}

export function logSeqAboveExpression(seq: number): string {
  return `Number(document.querySelector('[data-testid=event-log] li:last-child')?.getAttribute('data-seq') ?? -1) > ${seq}`;
}

/**
 * Record, from now on, every change of the busy badge's text (null when there is none) with the
 * simulated time the clock shows at that moment, in `window.__busy`: a badge shown for a few
 * milliseconds between two polls of a waitForSelector is still caught.
 */
export function watchBusyScript(): string {
  return `(() => {
    const seen = (window.__busy = []);
    const check = () => {
      const text = document.querySelector('[data-testid=busy]')?.textContent ?? null;
      const t = Number(document.querySelector('[data-testid=sim-time]')?.getAttribute('data-ns'));
      if (seen.length === 0 || seen[seen.length - 1].text !== text) seen.push({ text, t });
    };
    new MutationObserver(check).observe(document.body, { childList: true, subtree: true, characterData: true, attributes: true });
    check();
  })()`;
}

export const BUSY_SEEN = 'window.__busy';

/** Record every change of the Play button's text from now on, in `window.__play`. */
export function watchPlayScript(): string {
  return `(() => {
    const seen = (window.__play = []);
    const check = () => {
      const text = document.querySelector('[data-testid=play]')?.textContent ?? null;
      if (seen.length === 0 || seen[seen.length - 1] !== text) seen.push(text);
    };
    new MutationObserver(check).observe(document.body, { childList: true, subtree: true, characterData: true });
    check();
  })()`;
}

export const PLAY_SEEN = 'window.__play';

/** Drop a file on the drop zone the way a browser does: dragover, then drop with a DataTransfer. */
export function dropFileScript(name: string, bytes: Uint8Array): string {
  const b64 = Buffer.from(bytes).toString('base64');
  return `(() => {
    const bytes = Uint8Array.from(atob(${JSON.stringify(b64)}), (c) => c.charCodeAt(0));
    const dt = new DataTransfer();
    dt.items.add(new File([bytes], ${JSON.stringify(name)}));
    const zone = document.querySelector('[data-testid=dropzone]');
    zone.dispatchEvent(new DragEvent('dragover', { dataTransfer: dt, bubbles: true, cancelable: true }));
    zone.dispatchEvent(new DragEvent('drop', { dataTransfer: dt, bubbles: true, cancelable: true }));
  })()`;
}
