import { z } from 'zod';

/**
 * Every environment setting of the registry, in one schema: its name, its default as an operator
 * would write it, what it means, and the values it accepts. Every reader takes its typed value from
 * here (`setting`), the README's Configuration table is checked against it, and `checkSettings`
 * refuses a bad value at start with the variable and the accepted values named. An empty value
 * counts as unset.
 */
export interface SettingSpec<T> {
  /** The value parsed from the text of the variable (or of the default). */
  readonly value: z.ZodType<T>;
  /** The default, as the variable would be written; absent: unset means undefined. */
  readonly default?: string;
  /** How the README shows a default the schema cannot give (computed or left to a server). */
  readonly shownDefault?: string;
  readonly description: string;
  /** Completes "<NAME>=<value> ..." when the value is refused: names the accepted values. */
  readonly refusal: string;
}

const positiveNumber = z
  .string()
  .transform(Number)
  .refine((n) => Number.isFinite(n) && n > 0);
const positiveInteger = positiveNumber.refine(Number.isInteger);
const share = positiveNumber.refine((n) => n <= 1);
const port = z
  .string()
  .transform(Number)
  .refine((n) => Number.isInteger(n) && n >= 0 && n <= 65535);
const text = z.string();
const list = z.string().transform((s) =>
  s
    .split(',')
    .map((b) => b.trim())
    .filter(Boolean),
);
const timeZone = z.string().transform((zone, ctx) => {
  try {
    return new Intl.DateTimeFormat('en-US', { timeZone: zone }).resolvedOptions().timeZone;
  } catch {
    ctx.addIssue({ code: 'custom', message: 'not a time zone' });
    return z.NEVER;
  }
});
const oneOf = <const V extends readonly [string, ...string[]]>(values: V) => z.enum(values);
const or = (values: readonly string[]) =>
  values
    .map((v) => `"${v}"`)
    .join(', ')
    .replace(/, ([^,]*)$/, ' or $1');

const LOG_LEVELS = ['fatal', 'error', 'warn', 'log', 'debug', 'verbose', 'silent'] as const;
const POSITIVE = 'is not a positive number';
const PORT = 'is not a port number (0 to 65535)';

/** Declares one setting; its value's type follows from the schema and whether it has a default. */
const declare = <S extends SettingSpec<unknown>>(spec: S): S => spec;

export const SETTINGS = {
  REGISTRY_DATA_DIR: declare({
    value: text,
    default: './data',
    description: "each service's SQLite log (WAL, `synchronous=FULL`) and its read models (`.read.sqlite`)",
    refusal: 'is not a directory',
  }),
  REGISTRY_JWT_SECRET: declare({
    value: text,
    shownDefault: 'a development secret',
    description: 'HS256 key of the bearer tokens; required when `NODE_ENV=production`',
    refusal: 'is not a key',
  }),
  NODE_ENV: declare({
    value: text,
    description: '`production` refuses to start without `REGISTRY_JWT_SECRET`',
    refusal: 'is not a Node environment name',
  }),
  REGISTRY_TIME_ZONE: declare({
    value: timeZone,
    default: 'Asia/Shanghai',
    description:
      'the zone of "today": `effectiveAt` not after it, reads without `?on=` about it; checked at start',
    refusal: 'is not a time zone; give an IANA name such as Asia/Shanghai',
  }),
  ESTABLISHMENT_PORT: declare({
    value: port,
    default: '3001',
    description: 'port of the community establishment service',
    refusal: PORT,
  }),
  STAFFING_PORT: declare({
    value: port,
    default: '3002',
    description: 'port of the staffing and elections service',
    refusal: PORT,
  }),
  FACILITY_PORT: declare({
    value: port,
    default: '3003',
    description: 'port of the facility construction service',
    refusal: PORT,
  }),
  HOST: declare({
    value: text,
    default: '127.0.0.1',
    description: 'the address the services listen on',
    refusal: 'is not an address',
  }),
  ESTABLISHMENT_URL: declare({
    value: z.url().transform((u) => u.replace(/\/+$/, '')),
    shownDefault: 'from the port',
    description: '`npm run demo` only: the establishment service to tell the story to',
    refusal: 'is not a URL (http://host:port)',
  }),
  EST2_OBLIGATION_DUE_DAYS: declare({
    value: positiveNumber,
    default: '180',
    description: 'EST-2 due period of an establishment obligation',
    refusal: POSITIVE,
  }),
  EST6_LARGE_MIGRANT_AREA_HOUSEHOLDS: declare({
    value: positiveNumber,
    default: '1000',
    description: 'EST-6 size from which a migrant area gets its own committee',
    refusal: POSITIVE,
  }),
  EVENTSTORE_CONNECTION_STRING: declare({
    value: text,
    description:
      'the production event store; also runs the event-store contract suite on EventStoreDB/KurrentDB',
    refusal: 'is not a connection string',
  }),
  REGISTRY_PROFILE: declare({
    value: oneOf(['embedded', 'production']),
    default: 'embedded',
    description:
      '`production`: EventStoreDB, Kafka and MongoDB, each required and checked at start (see Profiles)',
    refusal: 'is neither "embedded" nor "production"',
  }),
  KAFKA_BROKERS: declare({
    value: list,
    description: 'Kafka brokers (`host:port,...`); unset: the embedded in-process bus',
    refusal: 'is not a list of brokers (host:port[,host:port])',
  }),
  KAFKA_CLIENT_ID: declare({
    value: text,
    default: 'lanzhou-registry',
    description: 'the Kafka client id',
    refusal: 'is not a client id',
  }),
  KAFKA_TOPIC_PARTITIONS: declare({
    value: positiveInteger,
    default: '3',
    description: 'partitions of each service topic, provisioned at start',
    refusal: 'must be a positive integer',
  }),
  KAFKA_REPLICATION_FACTOR: declare({
    value: positiveInteger,
    default: '1',
    description: 'replication factor of each service topic (3 in production)',
    refusal: 'must be a positive integer',
  }),
  KAFKA_MIN_INSYNC_REPLICAS: declare({
    value: positiveInteger,
    shownDefault: 'broker default',
    description: '`min.insync.replicas` of each service topic',
    refusal: 'must be a positive integer',
  }),
  MONGODB_URL: declare({
    value: text,
    description: "the read models' MongoDB; unset: `REGISTRY_READ_STORE`",
    refusal: 'is not a MongoDB URL',
  }),
  REGISTRY_READ_STORE: declare({
    value: oneOf(['sqlite', 'memory']),
    default: 'sqlite',
    description: 'read models without `MONGODB_URL`: `<service>.read.sqlite` beside the log, or `memory`',
    refusal: `is neither ${or(['sqlite', 'memory'])}`.replace(' or ', ' nor '),
  }),
  REGISTRY_READ_DATABASE: declare({
    value: text,
    shownDefault: "the service's name",
    description: "the read models' database name",
    refusal: 'is not a database name',
  }),
  REGISTRY_RELAY: declare({
    value: oneOf(['on', 'off']),
    default: 'on',
    description: '`off` leaves relaying to a separate `npm run relay` process',
    refusal: `is neither ${or(['on', 'off'])}`.replace(' or ', ' nor '),
  }),
  REGISTRY_SQLITE_WRITER: declare({
    value: oneOf(['thread', 'inline']),
    shownDefault: '`thread`',
    description: '`inline` commits on the event loop instead of the writer thread',
    refusal: ': expected thread or inline',
  }),
  ELECT4_ELECTION_DUE_DAYS: declare({
    value: positiveNumber,
    default: '90',
    description: 'ELECT-4 period within which a called election is due',
    refusal: POSITIVE,
  }),
  ELECT5_MIN_TURNOUT: declare({
    value: share,
    default: '0.5',
    description: 'ELECT-5 validity: turnout must be more than this share of the electorate',
    refusal: 'is out of range (a share above 0, at most 1)',
  }),
  ELECT5_MIN_VOTE_SHARE: declare({
    value: share,
    default: '0.5',
    description: 'ELECT-5 validity: each elected member must have more than this share of the votes cast',
    refusal: 'is out of range (a share above 0, at most 1)',
  }),
  FAC1_LARGE_COMMUNITY_HOUSEHOLDS: declare({
    value: positiveNumber,
    default: '3000',
    description: 'FAC-1 size from which the raised standard for large communities applies',
    refusal: POSITIVE,
  }),
  FAC1_LARGE_COMMUNITY_M2_PER_HOUSEHOLD: declare({
    value: positiveNumber,
    default: '0.3',
    description: 'FAC-1 raised standard for large communities, m² per household',
    refusal: POSITIVE,
  }),
  LOG_LEVEL: declare({
    value: oneOf(LOG_LEVELS),
    default: 'warn',
    description: `${or(LOG_LEVELS.map((l) => `\`${l}\``)).replace(/"/g, '')}`,
    refusal: `is not ${or(LOG_LEVELS)}`,
  }),
} as const;

export type SettingName = keyof typeof SETTINGS;
type Spec<K extends SettingName> = (typeof SETTINGS)[K];
export type SettingValue<K extends SettingName> =
  Spec<K> extends { default: string } ? z.output<Spec<K>['value']> : z.output<Spec<K>['value']> | undefined;

export type Environment = Readonly<Record<string, string | undefined>>;

/** A value a setting does not accept, with the variable and the accepted values named. */
export class SettingError extends Error {
  constructor(
    readonly variable: SettingName,
    readonly raw: string,
  ) {
    const refusal = SETTINGS[variable].refusal;
    super(`${variable}=${raw}${refusal.startsWith(':') ? '' : ' '}${refusal}`);
    this.name = 'SettingError';
  }
}

/** The typed value of one setting: the variable's, else the default; a SettingError if refused. */
export function setting<K extends SettingName>(name: K, env: Environment = process.env): SettingValue<K> {
  const spec: SettingSpec<unknown> = SETTINGS[name];
  const given = env[name];
  const raw = given === undefined || given === '' ? spec.default : given;
  if (raw === undefined) return undefined as SettingValue<K>;
  const parsed = spec.value.safeParse(raw);
  if (!parsed.success) throw new SettingError(name, raw);
  return parsed.data as SettingValue<K>;
}

/** Every setting read once, at start: the errors of all refused values together, one per line. */
export function checkSettings(env: Environment = process.env): void {
  const problems = (Object.keys(SETTINGS) as SettingName[]).flatMap((name) => {
    try {
      setting(name, env);
      return [];
    } catch (error) {
      if (error instanceof SettingError) return [error.message];
      throw error;
    }
  });
  if (problems.length > 0) throw new Error(problems.join('\n'));
}
