/**
 * The pmap: reference and modify bits and the mappings of each physical page — GNU Mach
 * vm/pmap.h and i386/intel/pmap.c, spec §9. The hot path lives here.
 *
 * A mapping is a virtual page ("vpage": one task's page of address space, numbered globally) with a
 * PTE byte. Each physical frame has a pv list (the vpages mapping it, linked through `pvNext`) and
 * an attribute byte that accumulates REF/MOD of mappings when they are removed, as pmap.c's
 * pmap_phys_attributes does. Attribute bits survive the page being freed and reused, as on i386:
 * only pmap_clear_reference / pmap_clear_modify clear them.
 */

export const PTE_VALID = 1;
export const PTE_WRITE = 2;
export const PTE_REF = 4;
export const PTE_MOD = 8;

export const ATTR_REF = 1;
export const ATTR_MOD = 2;

export class Pmap {
  /** per frame: folded REF/MOD */
  readonly attr: Uint8Array;
  /** per frame: first vpage mapping it, -1 if none */
  readonly pvHead: Int32Array;
  /** per vpage: PTE bits */
  pte: Uint8Array;
  /** per vpage: frame it maps (valid only with PTE_VALID) */
  pteFrame: Int32Array;
  /** per vpage: next vpage mapping the same frame */
  pvNext: Int32Array;

  constructor(frames: number, vpages = 1024) {
    this.attr = new Uint8Array(frames);
    this.pvHead = new Int32Array(frames).fill(-1);
    this.pte = new Uint8Array(vpages);
    this.pteFrame = new Int32Array(vpages).fill(-1);
    this.pvNext = new Int32Array(vpages).fill(-1);
  }

  /** Make room for vpages up to `n` (called on first touch, never on the hot path). */
  ensureVpages(n: number): void {
    if (n <= this.pte.length) return;
    let cap = this.pte.length;
    while (cap < n) cap *= 2;
    const pte = new Uint8Array(cap);
    pte.set(this.pte);
    const pteFrame = new Int32Array(cap).fill(-1);
    pteFrame.set(this.pteFrame);
    const pvNext = new Int32Array(cap).fill(-1);
    pvNext.set(this.pvNext);
    this.pte = pte;
    this.pteFrame = pteFrame;
    this.pvNext = pvNext;
  }

  /** pmap_enter(pmap, va, pa, prot, wired=FALSE). The entry sets no REF/MOD; the access that follows does. */
  enter(vp: number, frame: number, writable: boolean): void {
    if (this.pte[vp]! & PTE_VALID) {
      if (this.pteFrame[vp] === frame) {
        this.pte[vp] = (this.pte[vp]! & ~PTE_WRITE) | (writable ? PTE_WRITE : 0);
        return;
      }
      this.remove(vp);
    }
    this.pte[vp] = PTE_VALID | (writable ? PTE_WRITE : 0);
    this.pteFrame[vp] = frame;
    this.pvNext[vp] = this.pvHead[frame]!;
    this.pvHead[frame] = vp;
  }

  /** pmap_remove of one vpage: fold its bits into the frame's attributes and unlink it. */
  remove(vp: number): void {
    const bits = this.pte[vp]!;
    if (!(bits & PTE_VALID)) return;
    const frame = this.pteFrame[vp]!;
    this.attr[frame]! |= (bits & PTE_REF ? ATTR_REF : 0) | (bits & PTE_MOD ? ATTR_MOD : 0);
    let prev = -1;
    for (let v = this.pvHead[frame]!; v !== -1; prev = v, v = this.pvNext[v]!) {
      if (v !== vp) continue;
      if (prev === -1) this.pvHead[frame] = this.pvNext[v]!;
      else this.pvNext[prev] = this.pvNext[v]!;
      break;
    }
    this.pte[vp] = 0;
    this.pteFrame[vp] = -1;
    this.pvNext[vp] = -1;
  }

  /** pmap_page_protect(pa, VM_PROT_NONE): remove every mapping, folding their bits. */
  removeAll(frame: number): void {
    let v = this.pvHead[frame]!;
    let fold = 0;
    while (v !== -1) {
      const bits = this.pte[v]!;
      fold |= (bits & PTE_REF ? ATTR_REF : 0) | (bits & PTE_MOD ? ATTR_MOD : 0);
      const next = this.pvNext[v]!;
      this.pte[v] = 0;
      this.pteFrame[v] = -1;
      this.pvNext[v] = -1;
      v = next;
    }
    this.pvHead[frame] = -1;
    this.attr[frame]! |= fold;
  }

  /** pmap_page_protect(pa, VM_PROT_READ): remove write permission from every mapping. */
  writeProtect(frame: number): void {
    for (let v = this.pvHead[frame]!; v !== -1; v = this.pvNext[v]!) this.pte[v]! &= ~PTE_WRITE;
  }

  /** pmap_is_referenced: the attribute byte or any current mapping. Non-destructive. */
  isReferenced(frame: number): boolean {
    if (this.attr[frame]! & ATTR_REF) return true;
    for (let v = this.pvHead[frame]!; v !== -1; v = this.pvNext[v]!) if (this.pte[v]! & PTE_REF) return true;
    return false;
  }

  isModified(frame: number): boolean {
    if (this.attr[frame]! & ATTR_MOD) return true;
    for (let v = this.pvHead[frame]!; v !== -1; v = this.pvNext[v]!) if (this.pte[v]! & PTE_MOD) return true;
    return false;
  }

  clearReference(frame: number): void {
    this.attr[frame]! &= ~ATTR_REF;
    for (let v = this.pvHead[frame]!; v !== -1; v = this.pvNext[v]!) this.pte[v]! &= ~PTE_REF;
  }

  clearModify(frame: number): void {
    this.attr[frame]! &= ~ATTR_MOD;
    for (let v = this.pvHead[frame]!; v !== -1; v = this.pvNext[v]!) this.pte[v]! &= ~PTE_MOD;
  }

  isMapped(frame: number): boolean {
    return this.pvHead[frame] !== -1;
  }
}
