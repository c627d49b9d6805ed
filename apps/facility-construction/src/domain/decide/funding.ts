import { assertNoPersonalData, RuleViolation, type CommandContext } from '#libs/decider';
import { BUDGET_LINES, type BudgetLine, type FundingCommand } from '../commands';
import type { FundingEvent } from '../events';
import { requiredFunding, round2 } from '../policy';
import { populationOn } from '../queries';
import { dateOf, type FundingState } from '../state';

/** decide for the city's funding ledger (FUND-1, FUND-2). */
export function decideFunding(
  command: FundingCommand,
  state: FundingState,
  ctx: CommandContext,
): FundingEvent[] {
  // PERSONAL-DATA: no national identity number or birth date enters an event, whoever asks.
  assertNoPersonalData(command.data);
  const on = dateOf(ctx.effectiveAt);
  switch (command.type) {
    case 'RecordUrbanPopulation': {
      const d = command.data;
      return [
        {
          type: 'UrbanPopulationRecorded',
          ruleIds: ['FUND-1'],
          data: { ...d, requiredYuan: requiredFunding(d.urbanPopulation) },
        },
      ];
    }
    case 'RecordDistrictBudget': {
      const d = command.data;
      // FUND-2: the district budget states its four lines (0 is a statement, absence is not).
      const missing = BUDGET_LINES.filter((l) => d.lines[l] === undefined);
      if (missing.length > 0)
        throw new RuleViolation(
          'FUND-2',
          `a district's community-work budget states infrastructure, service organisations, worker subsidies and operating funds; missing: ${missing.join(', ')}`,
          { missing },
        );
      const lines = Object.fromEntries(BUDGET_LINES.map((l) => [l, d.lines[l]!])) as Record<
        BudgetLine,
        number
      >;
      const totalYuan = round2(BUDGET_LINES.reduce((s, l) => s + lines[l], 0));
      const population = populationOn(state, d.district, d.year, on);
      const requiredYuan = population === null ? null : requiredFunding(population);
      return [
        {
          type: 'DistrictCommunityBudgetRecorded',
          ruleIds: ['FUND-1', 'FUND-2'],
          data: {
            district: d.district,
            year: d.year,
            lines,
            totalYuan,
            requiredYuan,
            meetsRequirement: requiredYuan === null ? null : totalYuan >= requiredYuan,
          },
        },
      ];
    }
    case 'RecordCityBudget':
      return [{ type: 'CityCommunityBudgetRecorded', ruleIds: ['FUND-1'], data: { ...command.data } }];
  }
}
