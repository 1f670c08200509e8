import { execFileSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import {
  contentWords,
  evaluatePostmortems,
  parseTimelineTime,
  RealPostmortem,
  wordRecall,
} from '../../tools/eval-postmortems/postmortem-eval';

const FIXTURES = join(__dirname, '..', 'fixtures', 'postmortems');
const records = readFileSync(join(FIXTURES, 'postmortems-dev.jsonl'), 'utf8')
  .trim()
  .split('\n')
  .map((l) => JSON.parse(l) as RealPostmortem);

describe('postmortem evaluation', () => {
  it('reads the time formats real postmortems use', () => {
    expect(parseTimelineTime('2023-09-05T16:30:39.587Z')).toEqual({
      at: new Date('2023-09-05T16:30:39.587Z'),
      exact: true,
    });
    expect(parseTimelineTime('2019-11-29 12:00')).toEqual({ at: new Date('2019-11-29T12:00:00Z'), exact: true });
    expect(parseTimelineTime('2019-12-05 --:--')).toEqual({ at: new Date('2019-12-05T00:00:00Z'), exact: false });
    expect(parseTimelineTime('08:52 PM', '2020-10-28')).toEqual({ at: new Date('2020-10-28T20:52:00Z'), exact: true });
    expect(parseTimelineTime('July 11, 2025, 12:42 PM')).toEqual({ at: new Date('2025-07-11T12:42:00Z'), exact: true });
    expect(parseTimelineTime('All times in IST')).toBeNull();
    expect(parseTimelineTime(null)).toBeNull();
  });

  it('counts content words, not stop words or links', () => {
    expect([...contentWords('We are investigating [errors](https://x.test/a) on the API')]).toEqual([
      'investigating',
      'errors',
      'api',
    ]);
    expect(
      wordRecall(contentWords('Page on stalled consumers'), contentWords('Responder: TODO: page on stalled consumers')),
    ).toBe(1);
  });

  it('scores the drafts and the copy-the-description baseline on rebuilt incidents', () => {
    const report = evaluatePostmortems(records);
    expect(report.postmortems).toBe(2);
    expect(report.exactDurations).toBe(2);
    expect(report.bySource['fixture/structured']).toEqual({
      postmortems: 1,
      timeline: { postmortems: 1, draft: 1, baseline: 0.333 },
      timelineWithTime: { postmortems: 1, draft: 1, baseline: 0.5 },
      actionItems: { postmortems: 1, draft: 0.5, baseline: 0, ceiling: 0.5 },
    });
    expect(report.bySource['fixture/status']).toMatchObject({
      timeline: { postmortems: 1, draft: 1, baseline: 0.5 },
      timelineWithTime: { postmortems: 1, draft: 1, baseline: 0 },
      actionItems: { postmortems: 0 },
    });
    expect(report.overall).toEqual({
      timeline: { postmortems: 2, draft: 1, baseline: 0.417 },
      timelineWithTime: { postmortems: 2, draft: 1, baseline: 0.25 },
      actionItems: { postmortems: 1, draft: 0.5, baseline: 0, ceiling: 0.5 },
    });
  });

  it('runs as `npm run eval:postmortems -- <dataDir>` from the build', () => {
    const script = join(__dirname, '..', '..', 'dist-tools', 'tools', 'eval-postmortems.js');
    const json = JSON.parse(execFileSync(process.execPath, [script, FIXTURES, '--json'], { encoding: 'utf8' }));
    expect(json.overall.actionItems).toEqual({ postmortems: 1, draft: 0.5, baseline: 0, ceiling: 0.5 });
    const table = execFileSync(process.execPath, [script, FIXTURES], { encoding: 'utf8' });
    expect(table).toContain(
      '| all | 2 | 1.000 / 0.417 (n=2) | 1.000 / 0.250 (n=2) | 0.500 / 0.000 (ceiling 0.500) (n=1) |',
    );
    expect(() => execFileSync(process.execPath, [script], { stdio: 'pipe' })).toThrow();
  });
});
