import type { ArgumentMetadata } from '@nestjs/common';
import { z } from 'zod';
import { ProblemException } from '../problem/problem';
import { fieldErrorsFromIssues, ZodValidationPipe } from './zod-validation';

const Body = z.strictObject({
  households: z.number().int().positive(),
  members: z.array(z.strictObject({ name: z.string().min(1), role: z.enum(['director', 'member']) })),
  address: z.strictObject({ street: z.string() }),
});

function issuesOf(schema: z.ZodType, value: unknown) {
  const result = schema.safeParse(value);
  if (result.success) throw new Error('expected a failure');
  return result.error.issues;
}

describe('fieldErrorsFromIssues', () => {
  it('names every failing field with its request part and full path', () => {
    const issues = issuesOf(Body, {
      households: -1,
      members: [
        { name: '张伟', role: 'director' },
        { name: '', role: 'boss' },
      ],
      address: {},
    });
    const fields = fieldErrorsFromIssues(issues, 'body').map((e) => e.field);
    expect(fields.sort()).toEqual([
      'body.address.street',
      'body.households',
      'body.members.1.name',
      'body.members.1.role',
    ]);
  });

  it('names each unknown field, also in nested objects', () => {
    const issues = issuesOf(Body, {
      households: 1200,
      members: [{ name: '李娜', role: 'member', phone: '138' }],
      address: { street: '东岗西路' },
      extra: 1,
      other: 2,
    });
    expect(fieldErrorsFromIssues(issues, 'body')).toEqual(
      expect.arrayContaining([
        { field: 'body.extra', message: 'Unknown field' },
        { field: 'body.other', message: 'Unknown field' },
        { field: 'body.members.0.phone', message: 'Unknown field' },
      ]),
    );
    expect(fieldErrorsFromIssues(issues, 'body')).toHaveLength(3);
  });

  it('names a missing body as the body itself', () => {
    expect(fieldErrorsFromIssues(issuesOf(Body, undefined), 'body')).toEqual([
      { field: 'body', message: expect.any(String) },
    ]);
  });

  it('accepts Standard Schema path segments given as { key }', () => {
    expect(fieldErrorsFromIssues([{ message: 'bad', path: [{ key: 'a' }, { key: 0 }] }], 'query')).toEqual([
      { field: 'query.a.0', message: 'bad' },
    ]);
  });
});

describe('ZodValidationPipe', () => {
  const pipe = new ZodValidationPipe();
  const Query = z.strictObject({ page: z.coerce.number().int().min(1).default(1) });

  it('returns the parsed value, with coercions and defaults', async () => {
    const metadata: ArgumentMetadata = { type: 'query', schema: Query };
    await expect(pipe.transform({ page: '3' }, metadata)).resolves.toEqual({ page: 3 });
    await expect(pipe.transform({}, metadata)).resolves.toEqual({ page: 1 });
  });

  it.each([
    ['query', undefined, 'query.page'],
    ['param', undefined, 'params.page'],
    ['body', 'filter', 'body.filter.page'],
  ] as const)('prefixes %s fields (data %s) as %s', async (type, data, field) => {
    const error = await pipe.transform({ page: '0' }, { type, data, schema: Query }).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(ProblemException);
    expect((error as ProblemException).problem).toMatchObject({ status: 400, errors: [{ field }] });
  });

  it('uses the schema given to its constructor over the metadata', async () => {
    const strict = new ZodValidationPipe(z.strictObject({ id: z.uuid() }));
    await expect(strict.transform({ id: 'x' }, { type: 'param' })).rejects.toBeInstanceOf(ProblemException);
  });

  it('passes values through when there is no schema', async () => {
    await expect(pipe.transform('anything', { type: 'body' })).resolves.toBe('anything');
  });
});
