import { ArgumentsHost, BadRequestException, HttpException, NotFoundException } from '@nestjs/common';
import { NotFound, RuleViolation, WrongExpectedRevisionError } from '#libs/event-sourcing';
import { ProblemDetailsFilter, requestPath, toProblem } from './problem-details.filter';
import { idempotencyKeyReusedProblem, unauthorizedProblem, validationProblem } from './problem';

const P = 'https://registry.lanzhou.example/problems/';
const at = '/api/districts/chengguan/committees';

describe('toProblem', () => {
  it('maps a RuleViolation to 422 with its rule id and details', () => {
    const { problem, unexpected } = toProblem(
      new RuleViolation('EST-2', 'too few households', { households: 300, minimum: 1000 }),
      at,
    );
    expect(unexpected).toBe(false);
    expect(problem).toEqual({
      type: `${P}rule-violation`,
      title: expect.any(String),
      status: 422,
      detail: 'EST-2: too few households',
      instance: at,
      ruleId: 'EST-2',
      details: { households: 300, minimum: 1000 },
    });
  });

  it('maps a subclass of RuleViolation the same way', () => {
    class HouseholdRange extends RuleViolation {}
    expect(toProblem(new HouseholdRange('EST-3', 'x'), at).problem).toMatchObject({
      status: 422,
      ruleId: 'EST-3',
    });
  });

  it('maps NotFound to 404 with entity and id', () => {
    expect(toProblem(new NotFound('committee', 'c-7'), at).problem).toMatchObject({
      type: `${P}not-found`,
      status: 404,
      entity: 'committee',
      id: 'c-7',
    });
  });

  it('maps WrongExpectedRevisionError to 409 with expected and actual, not the stream id', () => {
    const { problem } = toProblem(new WrongExpectedRevisionError('committee-c-7', 'no_stream', 2), at);
    expect(problem).toMatchObject({
      type: `${P}revision-conflict`,
      status: 409,
      expected: 'no_stream',
      actual: 2,
    });
    expect(JSON.stringify(problem)).not.toContain('committee-c-7');
  });

  it('passes problem exceptions through with their headers', () => {
    const mapped = toProblem(unauthorizedProblem('The access token has expired.'), at);
    expect(mapped.problem).toMatchObject({ type: `${P}unauthorized`, status: 401, instance: at });
    expect(mapped.headers['www-authenticate']).toContain('error="invalid_token"');
    expect(toProblem(idempotencyKeyReusedProblem('k1'), at).problem).toMatchObject({
      type: `${P}idempotency-key-reused`,
      status: 422,
    });
    const validation = toProblem(validationProblem([{ field: 'body.households', message: 'Required' }]), at);
    expect(validation.problem).toMatchObject({
      type: `${P}validation`,
      status: 400,
      detail: 'Invalid field: body.households',
      errors: [{ field: 'body.households', message: 'Required' }],
    });
  });

  it('maps Nest HTTP exceptions by status, with the message as detail', () => {
    expect(toProblem(new NotFoundException('Cannot GET /x'), '/x').problem).toEqual({
      type: `${P}not-found`,
      title: 'Not Found',
      status: 404,
      detail: 'Cannot GET /x',
      instance: '/x',
    });
    expect(toProblem(new BadRequestException(['a: bad', 'b: bad']), at).problem.detail).toBe(
      'a: bad; b: bad',
    );
    expect(toProblem(new HttpException('Unsupported Media Type', 415), at).problem).toMatchObject({
      type: 'about:blank',
      status: 415,
    });
  });

  it('answers anything else with a generic 500 that leaks nothing', () => {
    for (const error of [
      new Error('SQLITE_CORRUPT at /srv/data/x.db'),
      'a string',
      new HttpException('pw=1', 503),
    ]) {
      const { problem, unexpected } = toProblem(error, at);
      expect(unexpected).toBe(true);
      expect(problem).toMatchObject({ type: `${P}internal-error`, status: 500 });
      expect(JSON.stringify(problem)).not.toMatch(/SQLITE|srv|string|pw=/);
    }
  });

  it('keeps only the path of the request as instance', () => {
    expect(requestPath('/api/x?name=张伟')).toBe('/api/x');
    expect(requestPath('/api/x')).toBe('/api/x');
  });
});

describe('ProblemDetailsFilter', () => {
  function fakeHost(url: string) {
    const sent: { status?: number; headers: Record<string, string>; body?: string } = { headers: {} };
    const reply = {
      sent: false,
      status(code: number) {
        sent.status = code;
        return reply;
      },
      headers(h: Record<string, string>) {
        Object.assign(sent.headers, h);
        return reply;
      },
      header(name: string, value: string) {
        sent.headers[name] = value;
        return reply;
      },
      send(body: string) {
        sent.body = body;
        return reply;
      },
    };
    const host = {
      getType: () => 'http',
      switchToHttp: () => ({ getRequest: () => ({ url, method: 'POST' }), getResponse: () => reply }),
    } as unknown as ArgumentsHost;
    return { host, sent };
  }

  it('sends application/problem+json with the mapped status and body', () => {
    const { host, sent } = fakeHost('/api/c?x=1');
    new ProblemDetailsFilter().catch(new NotFound('committee', 'c-1'), host);
    expect(sent.status).toBe(404);
    expect(sent.headers['content-type']).toBe('application/problem+json');
    expect(JSON.parse(sent.body ?? '')).toMatchObject({ status: 404, instance: '/api/c', id: 'c-1' });
  });
});
