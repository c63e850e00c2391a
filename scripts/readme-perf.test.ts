import { describe, expect, it } from 'vitest';
import { sectionLoads } from './readme-perf';

describe('sectionLoads', () => {
  it('gives each section the load it started under, and says when a section did not record one', () => {
    const bench = {
      machine: { loadAverage1m: 0.1 },
      sections: { live: { measuredAt: 'x' }, fusion: { loadAverage1mAtStart: 1.25 }, analysis: { error: 'boom' } },
    };
    expect(sectionLoads(bench)).toBe('1-min load average at the start of each section: live not recorded, fusion 1.25');
  });

  it('falls back to the machine header when there are no sections', () => {
    expect(sectionLoads({ machine: { loadAverage1m: 0.4 }, sections: {} })).toBe('load average at start 0.4');
  });
});
