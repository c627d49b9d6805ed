import { ArgumentMetadata, Body, Injectable, Param, PipeTransform, Query } from '@nestjs/common';
import { FieldError, validationProblem } from '../problem/problem';

/** Any Standard Schema (zod 4 schemas are); the OpenAPI document needs one with `~standard.jsonSchema`. */
export type RequestSchema = NonNullable<ArgumentMetadata['schema']>;

type PathSegment = PropertyKey | { readonly key: PropertyKey };

/** The Standard Schema issue, plus the zod 4 fields of an `unrecognized_keys` issue. */
export interface SchemaIssue {
  readonly message: string;
  readonly path?: ReadonlyArray<PathSegment> | undefined;
  readonly code?: string;
  readonly keys?: readonly string[];
}

/**
 * Names every failing field from the request part down: `body.households`, `body.members.0.name`.
 * An unknown-key issue sits on the parent object, so it is split into one error per unknown field:
 * the client must learn which of its fields is not accepted.
 */
export function fieldErrorsFromIssues(issues: readonly SchemaIssue[], prefix: string): FieldError[] {
  const errors: FieldError[] = [];
  for (const issue of issues) {
    const path = [prefix, ...(issue.path ?? []).map(segmentName)];
    if (issue.code === 'unrecognized_keys' && issue.keys?.length) {
      for (const key of issue.keys)
        errors.push({ field: [...path, key].join('.'), message: 'Unknown field' });
    } else {
      errors.push({ field: path.join('.'), message: issue.message });
    }
  }
  return errors;
}

function segmentName(segment: PathSegment): string {
  return String(typeof segment === 'object' && segment !== null ? segment.key : segment);
}

/** How a refusal names a request part: `body`, `query`, `params.areaId`. */
export function requestPartName(metadata: ArgumentMetadata): string {
  const part = metadata.type === 'param' ? 'params' : metadata.type;
  return metadata.data ? `${part}.${metadata.data}` : part;
}

/**
 * Validates a route argument against the schema given to the decorator (`@Body({ schema })` etc.)
 * and answers 400 with every failing field. Returns the parsed value, so coercions and defaults apply.
 */
@Injectable()
export class ZodValidationPipe implements PipeTransform {
  constructor(private readonly schema?: RequestSchema) {}

  async transform(value: unknown, metadata: ArgumentMetadata): Promise<unknown> {
    const schema = this.schema ?? metadata.schema;
    if (!schema) return value;
    const result = await schema['~standard'].validate(value);
    if (result.issues)
      throw validationProblem(fieldErrorsFromIssues(result.issues, requestPartName(metadata)));
    return result.value;
  }
}

/*
 * The schema goes into the parameter metadata, where @nestjs/swagger 12 reads it and converts it
 * through `~standard.jsonSchema.input` (zod's `z.toJSONSchema(schema, { io: 'input' })`), so the
 * document and the validation can never disagree. The pipe is bound per parameter, so validation
 * does not depend on a global pipe being registered.
 */

/** Validates and documents the request body. */
export const ZodBody = (schema: RequestSchema): ParameterDecorator =>
  Body({ schema, pipes: [new ZodValidationPipe()] });

/** Validates and documents the query string (an object schema; each property becomes a parameter). */
export const ZodQuery = (schema: RequestSchema): ParameterDecorator =>
  Query({ schema, pipes: [new ZodValidationPipe()] });

/** Validates and documents the path parameters (an object schema keyed by parameter name). */
export const ZodParams = (schema: RequestSchema): ParameterDecorator =>
  Param({ schema, pipes: [new ZodValidationPipe()] });

/**
 * Validates and documents one path parameter: the schema goes into the OpenAPI document (the id
 * pattern, the district codes), not only into the pipe.
 */
export const ZodParam = (name: string, schema: RequestSchema): ParameterDecorator =>
  Param(name, { schema, pipes: [new ZodValidationPipe()] });
