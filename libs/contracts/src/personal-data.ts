/**
 * PERSONAL-DATA: the registry holds no national identity numbers (公民身份号码) and no birth dates;
 * a person is a pseudonymous id. This is the one detector every edge, every domain and the event
 * contracts use (pure: no framework, no I/O), so that the promise cannot differ between services.
 *
 * What it flags in a string (after NFKC normalisation, so full-width digits count too):
 * - an 18-digit number (the last character may be X) whose ISO 7064 MOD 11-2 check digit is
 *   right and whose characters 7-14 are a real calendar date (GB 11643-1999);
 * - a 15-digit number (the form issued before 1999) whose characters 7-12 are a real date 19YYMMDD;
 * - either of them written in groups (6-8-3-1 or 6-6-3, spaces or dashes between the groups);
 * - any 15- or 18-character number, check digit right or wrong, labelled as an identity card
 *   number (身份证, 身份号码, ID card, ID no.): a mistyped id number is still a person's id number;
 * - a date next to a birth keyword (出生, 生日, 生于, born, birth, DOB), either side of it.
 *
 * Deliberately not flagged: an 18-digit number with a wrong check digit and no label (a long
 * document or archive number is not a person, though one that happens to have a date in the right
 * place and a right check digit is refused: the price of the promise); a digit run that is part of
 * a longer one (a 19-digit reference); a bare date (decisions are full of dates).
 */
export const PERSONAL_DATA_RULE = 'PERSONAL-DATA';

export type PersonalDataKind = 'national-id-number' | 'birth-date';

export interface PersonalDataFinding {
  /** Where in the value: object keys and array indexes from its root ([] for the value itself). */
  readonly path: readonly (string | number)[];
  readonly kind: PersonalDataKind;
}

const WEIGHTS = [7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2];
const CHECK_CHARACTERS = '10X98765432';

/** The ISO 7064 MOD 11-2 check character of the first 17 digits of an 18-digit id number. */
export function nationalIdCheckCharacter(first17: string): string {
  let sum = 0;
  for (let i = 0; i < 17; i++) sum += Number(first17[i]) * WEIGHTS[i]!;
  return CHECK_CHARACTERS[sum % 11]!;
}

function isCalendarDate(year: number, month: number, day: number): boolean {
  if (month < 1 || month > 12 || day < 1) return false;
  return day <= new Date(Date.UTC(year, month, 0)).getUTCDate();
}

function plausibleBirthDate(yyyymmdd: string): boolean {
  const year = Number(yyyymmdd.slice(0, 4));
  return (
    year >= 1900 &&
    year <= 2099 &&
    isCalendarDate(year, Number(yyyymmdd.slice(4, 6)), Number(yyyymmdd.slice(6, 8)))
  );
}

/** True for exactly 18 (check digit right) or 15 characters that form a national identity number. */
export function isNationalIdNumber(candidate: string): boolean {
  const s = candidate.toUpperCase();
  if (/^[1-9][0-9]{16}[0-9X]$/.test(s))
    return plausibleBirthDate(s.slice(6, 14)) && nationalIdCheckCharacter(s) === s[17];
  if (/^[1-9][0-9]{14}$/.test(s)) return plausibleBirthDate(`19${s.slice(6, 12)}`);
  return false;
}

/** 18 (6-8-3-1) or 15 (6-6-3) characters, maybe grouped, not inside a longer run of digits. */
const ID_SHAPED =
  /(?<![0-9])(?:[0-9]{6}[ -]?[0-9]{8}[ -]?[0-9]{3}[ -]?[0-9Xx]|[0-9]{6}[ -]?[0-9]{6}[ -]?[0-9]{3})(?![0-9])/g;
/** An identity card label just before a number (a few characters apart: 号码：, No. ...). */
const ID_LABEL =
  /(?:身份证|身份号码|身份证号|证件号|id\s*card|id\s*no|identity\s*(?:card|number))[^0-9]{0,8}$/i;
const BIRTH_KEYWORD = '(?:出生|生日|生于|\\b(?:born|birth(?:day|date)?|d\\.?o\\.?b)\\b)';
const MONTH = '(?:0?[1-9]|1[0-2])';
const DAY = '(?:0?[1-9]|[12][0-9]|3[01])';
/** Year and month at least: 1990-01-01, 1990/1/1, 1990.01, 1990年1月1日, 19900101. */
const DATE = `(?:(?:19|20)[0-9]{2}(?:[-./年] ?${MONTH}(?:[-./月] ?${DAY}日?|月)?|(?:0[1-9]|1[0-2])(?:0[1-9]|[12][0-9]|3[01])))`;
const BIRTH_DATE = new RegExp(
  `${BIRTH_KEYWORD}[^0-9]{0,12}${DATE}(?![0-9])|(?<![0-9])${DATE}\\s*(?:出生|生人|生(?=$|[\\s，,。;；)）]))`,
  'i',
);

/** What personal data a text holds, if any: the first kind found. */
export function personalDataKindOf(text: string): PersonalDataKind | undefined {
  const normal = text.normalize('NFKC');
  for (const match of normal.matchAll(ID_SHAPED)) {
    const candidate = match[0].replace(/[ -]/g, '');
    if (isNationalIdNumber(candidate)) return 'national-id-number';
    if (ID_LABEL.test(normal.slice(0, match.index))) return 'national-id-number';
  }
  if (BIRTH_DATE.test(normal)) return 'birth-date';
  return undefined;
}

/** Every string in a value (deeply: objects, arrays) that holds personal data, with its path. */
export function findPersonalData(
  value: unknown,
  path: readonly (string | number)[] = [],
): PersonalDataFinding[] {
  if (typeof value === 'string') {
    const kind = personalDataKindOf(value);
    return kind ? [{ path, kind }] : [];
  }
  if (Array.isArray(value)) return value.flatMap((item, i) => findPersonalData(item, [...path, i]));
  if (value !== null && typeof value === 'object')
    return Object.entries(value).flatMap(([key, item]) => findPersonalData(item, [...path, key]));
  return [];
}

/** True when a value (deeply) holds a national identity number or a birth date. */
export const containsPersonalData = (value: unknown): boolean => findPersonalData(value).length > 0;

/** The message a refusal gives for a finding: what was found and what to use instead. */
export const PERSONAL_DATA_MESSAGES: Readonly<Record<PersonalDataKind, string>> = {
  'national-id-number':
    'must not contain a national identity number (公民身份号码): a person is a pseudonymous id',
  'birth-date': 'must not contain a birth date: the registry keeps none',
};
