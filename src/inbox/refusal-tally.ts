// A sustained stream of refused signatures is someone probing the endpoint (or a secret that
// went out of date): it is reported as one line per interval with the count and the addresses,
// not as one line per request, which would flood the log and hide everything else in it.

/** What was refused in one interval after the first refusal, which was logged on its own. */
export interface RefusalSummary {
  count: number;
  /** The addresses that sent most, most first. */
  sources: { source: string; count: number }[];
  /** Addresses left out of `sources`. */
  otherSources: number;
}

/** Addresses named in one summary; the rest are counted. */
const NAMED_SOURCES = 10;

/**
 * Counts refusals between summaries. The first refusal of a quiet period is logged on its own
 * (`note` answers 'log'), and opens an interval; the refusals noted until its end are summed up by
 * `closeInterval`, which keeps the next interval open while they keep coming.
 */
export class RefusalTally {
  private open = false;
  private readonly bySource = new Map<string, number>();

  /** 'log': this refusal opens an interval and is logged alone; 'counted': it goes into the summary. */
  note(source: string): 'log' | 'counted' {
    if (!this.open) {
      this.open = true;
      return 'log';
    }
    this.bySource.set(source, (this.bySource.get(source) ?? 0) + 1);
    return 'counted';
  }

  /** True while an interval is open: whoever keeps time closes it at its end. */
  isOpen(): boolean {
    return this.open;
  }

  /** Ends the interval: its summary, or null (and no interval open) when nothing came after the first. */
  closeInterval(): RefusalSummary | null {
    if (this.bySource.size === 0) {
      this.open = false;
      return null;
    }
    const ranked = [...this.bySource].sort((a, b) => b[1] - a[1] || (a[0] < b[0] ? -1 : 1));
    this.bySource.clear();
    return {
      count: ranked.reduce((sum, [, count]) => sum + count, 0),
      sources: ranked.slice(0, NAMED_SOURCES).map(([source, count]) => ({ source, count })),
      otherSources: Math.max(0, ranked.length - NAMED_SOURCES),
    };
  }
}
