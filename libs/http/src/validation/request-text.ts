import { ArgumentMetadata, Injectable, PipeTransform } from '@nestjs/common';
import type { FastifyRequest } from 'fastify';
import { findPersonalData, PERSONAL_DATA_MESSAGES, PERSONAL_DATA_RULE } from '#libs/contracts';
import { FieldError, personalDataProblem, validationProblem } from '../problem/problem';
import { requestPartName } from './zod-validation';

/**
 * What the edge refuses in any request text before a service sees it:
 * text that is not Unicode (a lone surrogate such as "\ud800", which also breaks the canonical JSON
 * of the hash chain; bytes that are not UTF-8, which a lenient decoder would store as U+FFFD), NUL
 * characters, and personal data (PERSONAL-DATA: national identity numbers, birth dates). Every
 * refusal is a 400 problem naming each field (`body.parts.1.name`), so nothing is stored.
 */

type Path = readonly (string | number)[];

const fieldName = (prefix: string, path: Path): string => [prefix, ...path].join('.');

/** Every string (and object key) of a JSON value that is not well-formed Unicode or holds NUL. */
export function unsafeTextErrors(value: unknown, prefix: string, invalidUtf8 = false): FieldError[] {
  const errors: FieldError[] = [];
  const check = (text: string, path: Path): void => {
    if (invalidUtf8 && text.includes('\ufffd'))
      errors.push({
        field: fieldName(prefix, path),
        message: 'must be UTF-8: the request had invalid bytes here',
      });
    else if (!text.isWellFormed())
      errors.push({
        field: fieldName(prefix, path),
        message: 'must be Unicode text: a lone surrogate (\\ud800-\\udfff) is not a character',
      });
    if (text.includes('\u0000'))
      errors.push({ field: fieldName(prefix, path), message: 'must not contain a NUL character (\\u0000)' });
  };
  const walk = (node: unknown, path: Path): void => {
    if (typeof node === 'string') check(node, path);
    else if (Array.isArray(node)) node.forEach((item, i) => walk(item, [...path, i]));
    else if (node !== null && typeof node === 'object')
      for (const [key, item] of Object.entries(node)) {
        check(key, [...path, key]);
        walk(item, [...path, key]);
      }
  };
  walk(value, []);
  return errors;
}

/** PERSONAL-DATA: every field of a request part holding a national identity number or birth date. */
export function personalDataErrors(value: unknown, prefix: string): FieldError[] {
  return findPersonalData(value).map((f) => ({
    field: fieldName(prefix, f.path),
    message: PERSONAL_DATA_MESSAGES[f.kind],
    ruleId: PERSONAL_DATA_RULE,
  }));
}

const utf8 = new TextDecoder('utf-8', { fatal: true });
const lenientUtf8 = new TextDecoder('utf-8');

type JsonParser = (
  req: FastifyRequest,
  body: string,
  done: (err: Error | null, value?: unknown) => void,
) => void;

/**
 * The JSON body parser of every service: Fastify's own (prototype poisoning refused) on the text
 * decoded strictly, then the text checks above. Bytes that are not UTF-8 are decoded as U+FFFD
 * only to find the fields they sit in.
 */
export function strictJsonBodyParser(jsonParser: JsonParser) {
  return (req: FastifyRequest, body: Buffer, done: (err: Error | null, value?: unknown) => void): void => {
    let text: string;
    let invalidUtf8 = false;
    try {
      text = utf8.decode(body);
    } catch {
      text = lenientUtf8.decode(body);
      invalidUtf8 = true;
    }
    jsonParser(req, text, (err, value) => {
      if (err) return done(err);
      const errors = unsafeTextErrors(value, 'body', invalidUtf8);
      if (invalidUtf8 && errors.length === 0)
        errors.push({ field: 'body', message: 'must be UTF-8: the request had invalid bytes' });
      done(errors.length ? validationProblem(errors) : null, errors.length ? undefined : value);
    });
  };
}

/**
 * Global pipe: refuses personal data (and text that is not Unicode) in the body, the path
 * parameters and the query of every route, whatever its schema says, so that no field can be
 * forgotten. It runs after the guard (401/403 first) and before the route's own validation.
 */
@Injectable()
export class RequestTextPipe implements PipeTransform {
  transform(value: unknown, metadata: ArgumentMetadata): unknown {
    if (metadata.type !== 'body' && metadata.type !== 'param' && metadata.type !== 'query') return value;
    const prefix = requestPartName(metadata);
    const unsafe = unsafeTextErrors(value, prefix);
    if (unsafe.length) throw validationProblem(unsafe);
    const personal = personalDataErrors(value, prefix);
    if (personal.length) throw personalDataProblem(personal);
    return value;
  }
}

/**
 * PERSONAL-DATA in a header the registry keeps (the correlation id goes into every event's
 * metadata, the Idempotency-Key into the idempotency store): refused like a body field.
 */
export function assertHeaderWithoutPersonalData(name: string, value: string | undefined): void {
  if (value === undefined) return;
  const errors = personalDataErrors(value, `headers.${name}`);
  if (errors.length) throw personalDataProblem(errors);
}
