import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Command } from 'commander';
import { DISTRICTS } from '#libs/contracts';
import { foldEvents, SqliteEventStore, type RecordedEvent } from '#libs/event-sourcing';
import { RegistryClock } from '#libs/hosting';
import { districtStreamId, establishmentDecider } from '../apps/community-establishment/src/domain';
import { FlowGenerator } from './bench-flows';
import { fmt, median, msSince, nowNs, positiveInt, table } from './bench-kit';

/*
 * `npm run bench:fold -- [--events N] [--runs R] [--file F]`
 *
 * How long folding one large district takes: the establishment decider's own evolve over a stream
 * grown by the realistic command flows of bench-flows.ts (decided by the domain's decide, through
 * handleCommand, with a correction every few blocks). It times a whole replay from the initial
 * state, and the incremental fold a command pays: one event onto the district's state. With --file
 * the log is kept (generated when missing) so that runs on different code fold the same events.
 */

interface Options {
  events: number;
  runs: number;
  file?: string;
}

const DISTRICT = DISTRICTS[0];

async function logOf(options: Options): Promise<RecordedEvent[]> {
  const scratch = options.file ? undefined : mkdtempSync(join(tmpdir(), 'bench-fold-'));
  const file = options.file ?? join(scratch!, 'events.sqlite');
  const store = await SqliteEventStore.open({ file });
  try {
    const streamId = districtStreamId(DISTRICT.code);
    const existing = (await store.readStream(streamId)).length;
    // A kept log is folded as it is, whatever --events says.
    if (existing === 0) {
      console.log(`growing ${streamId} to ${fmt(options.events)} events with realistic flows …`);
      const today = RegistryClock.fromEnv().today();
      const flows = new FlowGenerator(store, establishmentDecider(), '2006-01-01', today, [DISTRICT]);
      await flows.appendAtLeast(options.events);
    }
    return await store.readStream(streamId);
  } finally {
    await store.close();
    if (scratch) rmSync(scratch, { recursive: true, force: true });
  }
}

async function main(options: Options): Promise<void> {
  const events = await logOf(options);
  const decider = establishmentDecider();
  const corrections = events.filter((e) => e.type === 'DecisionCorrected').length;

  // Warm-up and check: one fact per event.
  const check = foldEvents(decider, decider.initialState(), events);
  if (check.facts.length !== events.length)
    throw new Error(`${check.facts.length} facts, ${events.length} events`);

  const replays: number[] = [];
  for (let r = 0; r < options.runs; r++) {
    const t0 = nowNs();
    foldEvents(decider, decider.initialState(), events);
    replays.push(msSince(t0));
  }

  // What a command pays after deciding: its events folded onto the district's state. The last
  // 200 events of the log, each onto the state before it (folded afresh: evolve may mutate it).
  const tail = events.slice(-200);
  const increments: number[] = [];
  for (let r = 0; r < options.runs; r++) {
    let state = foldEvents(decider, decider.initialState(), events.slice(0, events.length - tail.length));
    const t0 = nowNs();
    for (const e of tail) state = foldEvents(decider, state, [e]);
    increments.push((msSince(t0) * 1000) / tail.length);
  }

  const ms = median(replays);
  console.log(
    `\n${DISTRICT.code}: ${fmt(events.length)} events (${corrections} corrections), median of ${options.runs} runs\n`,
  );
  console.log(
    table(
      ['measure', 'value'],
      [
        ['replay of the district (ms)', fmt(ms, 1)],
        ['replay (events/s)', fmt(events.length / (ms / 1000))],
        ['one event onto the grown district (µs)', fmt(median(increments), 1)],
      ],
    ),
  );
}

new Command()
  .name('npm run bench:fold --')
  .description("Fold one large establishment district with the domain's evolve.")
  .option('--events <n>', 'events in the district (grown by realistic command flows)', positiveInt, 20000)
  .option('--runs <n>', 'timed replays (the median is reported)', positiveInt, 5)
  .option('--file <path>', 'keep the generated log in this SQLite file and reuse it')
  .action(main)
  .parseAsync()
  .catch((error: unknown) => {
    console.error(error);
    process.exitCode = 1;
  });
