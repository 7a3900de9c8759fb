/** vm_pageout_page and vm_pageout_setup on single pages (spec §4.5–4.6), outside a scan. */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { createSimulation, type Simulation } from '../../src/kernel/index.js';
import { vmPageoutPage } from '../../src/kernel/pageout.js';
import { pageActivate, pageGrab, pageInsert, pageLookup } from '../../src/kernel/resident.js';
import { makeScenario } from './fixtures.js';

function machine(): Simulation {
  const sim = createSimulation(makeScenario({ pages: 300, tasks: [{ generator: { kind: 'sequential', pages: 1, passes: 1, writeFraction: 0 }, startNs: 100e9 }] }));
  sim.runUntil(1);
  return sim;
}

function residentPage(sim: Simulation, internal: boolean) {
  const k = sim.k;
  const object = internal ? k.newObject(true, 16, 'anon') : sim.fileObject('f');
  sim.runUntil(2);
  const m = pageGrab(k, false)!;
  pageInsert(k, m, object, 4);
  m.busy = false;
  pageActivate(k, m);
  k.frameContent[m.frame] = 42;
  return { k, object, m };
}

test('flush of an internal page: moved to a one-page object, laundry and wired; a holding page blocked its old place meanwhile', () => {
  const sim = machine();
  const { k, object, m } = residentPage(sim, true);
  object.pager = k.defaultPager;
  object.pagerCreated = object.pagerInitialized = object.pagerReady = true;
  object.existence = new Uint8Array(16);
  k.activeQueue.remove(m);
  m.active = false;
  k.activeCount--;
  m.busy = true;
  m.dirty = true;
  vmPageoutPage(k, m, false, true);
  assert.notEqual(m.object, object);
  assert.equal(m.object!.internal, true);
  assert.equal(m.offset, 0);
  assert.ok(m.laundry && m.wireCount === 1 && !m.busy && m.dirty);
  assert.equal(k.laundryCount, 1);
  assert.equal(pageLookup(k, object, 4), null, 'the holding page is freed once the message is sent');
  assert.equal(object.existence[0]! & (1 << 4), 1 << 4, 'existence map says the page was written');
  assert.equal(k.vmStat.pageouts, 1);
  assert.equal(object.pagingInProgress, 0);
  sim.runUntil(1e9); // the default pager writes it, then deallocates the transport object
  assert.ok(m.free);
  assert.equal(k.laundryCount, 0);
  assert.equal(k.wireCount, 0);
});

test('copy (flush = FALSE): the data goes out in a new page; the original stays, clean and deactivated', () => {
  const sim = machine();
  const { k, object, m } = residentPage(sim, false);
  k.activeQueue.remove(m);
  m.active = false;
  k.activeCount--;
  m.busy = true;
  m.dirty = true;
  vmPageoutPage(k, m, false, false);
  assert.equal(m.object, object);
  assert.ok(!m.dirty && !m.busy && m.inactive, 'original clean, unbusied, on the inactive queue');
  assert.equal(k.pmap.isModified(m.frame), false);
  const copies = [...k.objects.values()].filter((o) => o.carriesFrom?.object === object);
  assert.equal(copies.length, 1);
  const copy = [...copies[0]!.memq][0]!;
  assert.notEqual(copy.frame, m.frame);
  assert.equal(k.frameContent[copy.frame], 42);
  assert.ok(copy.dirty && copy.active, 'an external object\'s copy is activated, not laundered');
  assert.equal(k.laundryCount, 0);
});

test('a clean non-precious page is simply freed; a clean precious page goes out as a clean return', () => {
  const sim = machine();
  const { k, m } = residentPage(sim, false);
  k.activeQueue.remove(m);
  m.active = false;
  k.activeCount--;
  m.busy = true;
  vmPageoutPage(k, m, false, true);
  assert.ok(m.free);
  const second = residentPage(sim, false);
  const p = second.m;
  k.activeQueue.remove(p);
  p.active = false;
  k.activeCount--;
  p.busy = true;
  p.precious = true;
  const pageouts = k.vmStat.pageouts;
  vmPageoutPage(k, p, false, true);
  assert.equal(k.vmStat.pageouts, pageouts + 1);
  assert.ok(!p.precious && p.dirty && p.active, 'setup marks it dirty, not precious, and activates it');
});
