/**
 * The nine county-level districts of Lanzhou. Route parameters and events carry the code (ASCII,
 * stable in URLs); people and tokens may use the Chinese name, so both resolve to one entry.
 */
export const DISTRICTS = [
  { code: 'chengguan', name: '城关区' },
  { code: 'qilihe', name: '七里河区' },
  { code: 'xigu', name: '西固区' },
  { code: 'anning', name: '安宁区' },
  { code: 'honggu', name: '红古区' },
  { code: 'yongdeng', name: '永登县' },
  { code: 'gaolan', name: '皋兰县' },
  { code: 'yuzhong', name: '榆中县' },
  { code: 'lanzhou-new-area', name: '兰州新区' },
] as const;

export type District = (typeof DISTRICTS)[number];
export type DistrictCode = District['code'];
export type DistrictName = District['name'];

export const DISTRICT_CODES = DISTRICTS.map((d) => d.code) as readonly DistrictCode[];

/** Finds a district by its code or its name; undefined when it is neither. */
export function findDistrict(codeOrName: string): District | undefined {
  return DISTRICTS.find((d) => d.code === codeOrName || d.name === codeOrName);
}
