import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { SETTINGS, type SettingName } from '#libs/settings';
import { policyFromEnv } from '../apps/community-establishment/src/community-establishment.module';
import { DEFAULT_POLICY } from '../apps/community-establishment/src/domain';
import { facilityPolicyFromEnv } from '../apps/facility-construction/src/facility-construction.module';
import { DEFAULT_FACILITY_POLICY } from '../apps/facility-construction/src/domain';
import { staffingPolicyFromEnv } from '../apps/staffing-elections/src/staffing-elections.module';
import { DEFAULT_STAFFING_POLICY } from '../apps/staffing-elections/src/domain';

/*
 * The settings schema (libs/settings) is the one list of the registry's environment settings: the
 * README's Configuration table says what it says, and the policies' defaults are the domains'.
 */

/** A row of the table as the schema gives it: variable, default, meaning. */
const rowOf = (name: SettingName): string => {
  const spec: { default?: string; shownDefault?: string; description: string } = SETTINGS[name];
  const shown =
    spec.default === undefined
      ? (spec.shownDefault ?? 'unset')
      : /^[0-9.]+$/.test(spec.default)
        ? spec.default
        : `\`${spec.default}\``;
  return `| \`${name}\` | ${shown} | ${spec.description} |`;
};

/** The rows of the README's Configuration table, cells trimmed. */
function readmeRows(): string[] {
  const readme = readFileSync(join(__dirname, '..', 'README.md'), 'utf8');
  const section = readme.split(/^## Configuration$/m)[1]?.split(/^## /m)[0] ?? '';
  return section
    .split('\n')
    .filter((line) => line.startsWith('|'))
    .slice(2) // the header and its rule
    .map(
      (line) =>
        `| ${line
          .slice(1, -1)
          .split(' | ')
          .map((cell) => cell.trim())
          .join(' | ')} |`,
    );
}

describe('the settings schema and the README', () => {
  it("the README's Configuration table lists every setting of the schema, in its order, with its default and meaning", () => {
    const expected = (Object.keys(SETTINGS) as SettingName[]).map(rowOf);
    // On a difference, paste the expected rows into the README and run prettier on it.
    expect(readmeRows()).toEqual(expected);
  });
});

describe('the policies read from the settings', () => {
  it("default to each domain's own policy", () => {
    expect(policyFromEnv({})).toEqual(DEFAULT_POLICY);
    expect(facilityPolicyFromEnv({})).toEqual(DEFAULT_FACILITY_POLICY);
    expect(staffingPolicyFromEnv({})).toEqual(DEFAULT_STAFFING_POLICY);
  });

  it('take a given value, and refuse a bad one naming the variable and what it accepts', () => {
    expect(policyFromEnv({ EST2_OBLIGATION_DUE_DAYS: '90' }).obligationDueDays).toBe(90);
    expect(facilityPolicyFromEnv({ FAC1_LARGE_COMMUNITY_HOUSEHOLDS: '2500' }).largeCommunityHouseholds).toBe(
      2500,
    );
    expect(staffingPolicyFromEnv({ ELECT5_MIN_TURNOUT: '0.6' }).minTurnoutExclusive).toBe(0.6);
    expect(() => policyFromEnv({ EST6_LARGE_MIGRANT_AREA_HOUSEHOLDS: 'many' })).toThrow(
      'EST6_LARGE_MIGRANT_AREA_HOUSEHOLDS=many is not a positive number',
    );
    expect(() => staffingPolicyFromEnv({ ELECT5_MIN_VOTE_SHARE: '2' })).toThrow(
      'ELECT5_MIN_VOTE_SHARE=2 is out of range (a share above 0, at most 1)',
    );
    expect(() => facilityPolicyFromEnv({ FAC1_LARGE_COMMUNITY_M2_PER_HOUSEHOLD: '0' })).toThrow(
      'FAC1_LARGE_COMMUNITY_M2_PER_HOUSEHOLD=0 is not a positive number',
    );
  });
});
