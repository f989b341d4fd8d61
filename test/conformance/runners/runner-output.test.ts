// Reading a runner's stdout back: the three kinds of line, and a clear error for anything else.
import { describe, expect, it } from 'vitest';
import { parseRunnerOutput } from './runner-output.js';

describe('parseRunnerOutput', () => {
  it('reads CALL, PROGRAM and MARK lines in order', () => {
    const stdout = [
      'CALL {"t":10588,"host":"client","program":"c","call":"connect","socket":"s","result":"ok"}',
      'MARK t150000',
      'CALL {"t":300983,"host":"client","program":"c","call":"recv","socket":"s","result":"ok","value":5}',
      'PROGRAM {"host":"client","program":"c","status":"done","detail":""}',
      'PROGRAM {"host":"server","program":"srv","status":"blocked","detail":"in accept(b)"}',
      'MARK end',
      '',
    ].join('\n');
    expect(parseRunnerOutput(stdout)).toEqual({
      calls: [
        { t: 10588, host: 'client', program: 'c', call: 'connect', socket: 's', result: 'ok' },
        { t: 300983, host: 'client', program: 'c', call: 'recv', socket: 's', result: 'ok', value: 5 },
      ],
      programs: [
        { host: 'client', program: 'c', status: 'done', detail: '' },
        { host: 'server', program: 'srv', status: 'blocked', detail: 'in accept(b)' },
      ],
      marks: ['t150000', 'end'],
    });
  });

  it('reads when a call was made ("made"), which cannot be after it returned', () => {
    const line = (made: number) => `CALL {"t":500,"made":${made},"host":"a","program":"a","call":"close","socket":"s","result":"ok"}`;
    expect(parseRunnerOutput(line(480)).calls[0]).toEqual({ t: 500, made: 480, host: 'a', program: 'a', call: 'close', socket: 's', result: 'ok' });
    expect(() => parseRunnerOutput(line(501))).toThrow(/"made" must be a whole number of microseconds, not after "t"/);
  });

  it('refuses a line of another kind, with its line number', () => {
    expect(() => parseRunnerOutput('MARK end\nhello there\n')).toThrow(/line 2: expected a CALL, PROGRAM or MARK line: hello there/);
  });

  it('refuses a CALL without JSON, a fractional time, a missing field and an unknown status', () => {
    expect(() => parseRunnerOutput('CALL connect ok')).toThrow(/expected JSON after CALL/);
    expect(() => parseRunnerOutput('CALL {"t":1.5,"host":"a","program":"a","call":"x","socket":"s","result":"ok"}')).toThrow(/"t" must be a whole number/);
    expect(() => parseRunnerOutput('CALL {"t":1,"host":"a","program":"a","call":"x","result":"ok"}')).toThrow(/"socket" must be text/);
    expect(() => parseRunnerOutput('PROGRAM {"host":"a","program":"a","status":"gone","detail":""}')).toThrow(/"status" must be done, failed or blocked/);
    expect(() => parseRunnerOutput('MARK two words')).toThrow(/expected "MARK <name>"/);
  });
});
