import { personalDataErrors, unsafeTextErrors } from './request-text';

describe('request text the edge refuses', () => {
  it('names every string and key that is not well-formed Unicode or holds NUL, deep in the body', () => {
    const body = { name: 'ok 🏠', parts: [{ name: 'a\ud800' }, { name: 'b\u0000' }], ['k\udc00']: 1 };
    expect(unsafeTextErrors(body, 'body').map((e) => e.field)).toEqual([
      'body.parts.0.name',
      'body.parts.1.name',
      'body.k\udc00',
    ]);
  });

  it('names the fields that held invalid UTF-8 (decoded as U+FFFD) only when the bytes were invalid', () => {
    const body = { name: '东岗\ufffd', note: 'fine' };
    expect(unsafeTextErrors(body, 'body')).toEqual([]);
    expect(unsafeTextErrors(body, 'body', true)).toEqual([
      { field: 'body.name', message: expect.stringContaining('UTF-8') },
    ]);
  });

  it('PERSONAL-DATA names the field and the rule', () => {
    expect(personalDataErrors({ members: [{ personId: '620102199001011233' }] }, 'body')).toEqual([
      { field: 'body.members.0.personId', message: expect.any(String), ruleId: 'PERSONAL-DATA' },
    ]);
    expect(personalDataErrors('620102199001011234', 'params.personId')).toEqual([]);
  });
});
