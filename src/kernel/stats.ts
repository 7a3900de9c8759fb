/** vm_stat and the seed's vm_pageout_* counters (spec §1.2, seed lines 180–190). */
import type { PageoutCounters, VmStat } from './index-types.js';

export function newVmStat(): VmStat {
  return { faults: 0, pageins: 0, pageouts: 0, reactivations: 0, zeroFillCount: 0, cowFaults: 0, lookups: 0, hits: 0 };
}

/** The seed's counters in code form; `toJson` spells them as the seed does. */
export class PageoutStats {
  active = 0;
  inactive = 0;
  inactiveNolock = 0;
  inactiveBusy = 0;
  inactiveAbsent = 0;
  inactiveUsed = 0;
  inactiveClean = 0;
  inactiveDirty = 0;
  inactiveDouble = 0;
  inactiveCleanedExternal = 0;

  toJson(): PageoutCounters {
    return {
      vm_pageout_active: this.active,
      vm_pageout_inactive: this.inactive,
      vm_pageout_inactive_nolock: this.inactiveNolock,
      vm_pageout_inactive_busy: this.inactiveBusy,
      vm_pageout_inactive_absent: this.inactiveAbsent,
      vm_pageout_inactive_used: this.inactiveUsed,
      vm_pageout_inactive_clean: this.inactiveClean,
      vm_pageout_inactive_dirty: this.inactiveDirty,
      vm_pageout_inactive_double: this.inactiveDouble,
      vm_pageout_inactive_cleaned_external: this.inactiveCleanedExternal,
    };
  }
}
