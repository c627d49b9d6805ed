import 'reflect-metadata';
import { randomUUID } from 'node:crypto';
import type { KafkaMessage } from 'kafkajs';
import { STAFFING_EVENTS, topicOf, type StaffingContractType } from '#libs/contracts';
import { fromKafkaRecord, headersAsText } from '#libs/messaging';
import { establishmentService } from '../apps/community-establishment/src/main';
import { staffingElectionsService } from '../apps/staffing-elections/src/main';
import type { DemoTokens, RegistryClient } from '../scripts/demo-story';
import { describeOnRealServers, useServicesOnRealServers, type KafkaRecord } from './support/real-services';

/**
 * Over the real broker (Kafka) and read store (FerretDB), the establishment service's
 * decisions reach the staffing service as ELECT-4 reactions (a first election due, a merger ending
 * terms and calling an election, a dissolution ending terms), a replayed or duplicated message
 * changes nothing, and the staffing service's own events are CloudEvents on
 * lanzhou.registry.staffing-elections.events.v1.
 *
 * Everything happens in 安宁区 with ids unique to the run, so that other tests' messages on the
 * shared broker do not disturb the answers checked here.
 */
describeOnRealServers(
  __filename,
  'staffing service ← establishment events over Kafka, → its own topic',
  () => {
    const run = randomUUID().slice(0, 8);
    const id = (name: string) => `sm${run}-${name}`;
    const AN = '/api/districts/anning';
    /** Every record of both topics seen since the test started, by ce_id. */
    const records = new Map<string, { topic: string; message: KafkaMessage }>();
    const services = useServicesOnRealServers({
      prefix: 'sm',
      boundMs: 30_000,
      services: () => [establishmentService(), staffingElectionsService()],
      consume: {
        topics: [topicOf('community-establishment'), topicOf('staffing-elections')],
        eachMessage: (topic, message) => {
          const ceId = headersAsText(message.headers).ce_id;
          if (ceId) records.set(ceId, { topic, message });
        },
      },
    });
    const { within } = services;
    let est: RegistryClient;
    let stf: RegistryClient;
    let tokens: DemoTokens;
    beforeAll(() => {
      est = services.client('community-establishment');
      stf = services.client('staffing-elections');
      tokens = services.tokens;
    });

    type Entry = { committeeId: string; kind: string; electionId: string | null; status: string };
    const calendar = async (on?: string): Promise<Entry[]> => {
      const res = await stf.get(`${AN}/election-calendar${on ? `?on=${on}` : ''}`, tokens.auditor);
      expect(res.status).toBe(200);
      return (res.body.entries as Entry[]).filter((e) => e.committeeId.startsWith(`sm${run}-`));
    };
    const timeline = async (committeeId: string) => {
      const res = await stf.get(`${AN}/committees/${committeeId}/timeline`, tokens.auditor);
      return res.status === 200
        ? (res.body.entries as Array<{ type: string; data: Record<string, unknown> }>)
        : [];
    };
    const staffingEvents = async () => {
      const res = await stf.get(`${AN}/events?maxCount=1000`, tokens.anning);
      expect(res.status).toBe(200);
      return ofThisRun(res.body as StoredEvent[]);
    };
    type StoredEvent = { eventId: string; type: string; data: Record<string, unknown> };
    /** The staffing events about this run's committees and their elections (others may share 安宁区). */
    const ofThisRun = (events: StoredEvent[]): StoredEvent[] => {
      const ours = (e: StoredEvent) => String(e.data.committeeId ?? '').startsWith(`sm${run}-`);
      const elections = new Set(
        events.filter((e) => e.type === 'ElectionCalled' && ours(e)).map((e) => e.data.electionId),
      );
      return events.filter((e) => ours(e) || elections.has(e.data.electionId));
    };
    const decided = async (client: RegistryClient, path: string, body: Record<string, unknown>) => {
      const res = await client.post(`${AN}${path}`, tokens.anning, body);
      if (res.status !== 201) throw new Error(`${path}: ${res.status} ${JSON.stringify(res.body)}`);
      return res.body as { events: Array<{ eventId: string; type: string }> };
    };
    const town = (name: string, adjacentAreaIds: string[] = []) => ({
      areaId: id(`${name}-a`),
      name: `${name}片区`,
      kind: 'existing-town-area',
      subDistrict: '培黎街道',
      households: 600,
      adjacentAreaIds,
    });
    const establish = (name: string, adjacent: string[] = []) =>
      decided(est, '/committees', {
        effectiveAt: '2005-01-01',
        legalBasis: '安宁区政发〔2005〕3号',
        communityId: id(name),
        committeeId: id(`${name}-rc`),
        name: `${name}社区居民委员会`,
        newAreas: [town(name, adjacent)],
      });
    const members = (name: string) =>
      ['chair', 'vice-chair', 'member', 'member', 'member'].map((role, i) => ({
        personId: id(`${name}-p${i + 1}`),
        role,
        woman: i === 1,
        ethnicMinority: false,
      }));
    const holdFirstElection = async (name: string, electionId: string) => {
      const basis = { legalBasis: '安宁区民发〔2005〕9号' };
      await decided(stf, `/elections/${electionId}/electorate`, {
        ...basis,
        effectiveAt: '2005-03-01',
        mode: 'all-voters',
        registeredVoters: 1000,
      });
      return decided(stf, `/elections/${electionId}/results`, {
        ...basis,
        effectiveAt: '2005-03-20',
        votesCast: 800,
        candidates: members(name).map((m) => ({ personId: m.personId, votes: 700 })),
        elected: members(name),
      });
    };
    const recordOf = (eventId: string) =>
      within(`the Kafka record of ${eventId}`, async () => records.get(eventId));

    it('ELECT-4 establishment, merger and dissolution become elections and ended terms; replays change nothing; staffing events are CloudEvents on its topic', async () => {
      // 1. Three committees established: each gets its first election, due in the staffing service.
      const established = [
        await establish('p'),
        await establish('q', [id('p-a')]),
        await establish('r', [id('q-a')]),
      ];
      const due = await within('three first elections', async () => {
        const entries = await calendar('2005-01-02');
        return entries.length === 3 ? entries : undefined;
      });
      const electionOf = (name: string) => due.find((e) => e.committeeId === id(`${name}-rc`))!.electionId!;
      expect(due.map((e) => [e.committeeId, e.kind, e.status])).toEqual([
        [id('p-rc'), 'called-election', 'due'],
        [id('q-rc'), 'called-election', 'due'],
        [id('r-rc'), 'called-election', 'due'],
      ]);
      // The election id derives from the establishment event: the reaction is deterministic.
      const pEstablished = established[0].events.find((e) => e.type === 'CommitteeEstablished')!;
      expect(electionOf('p')).toBe(`el-${pEstablished.eventId}-0`);
      // Now, from the read models: still called, long overdue.
      expect((await calendar()).map((e) => e.status)).toEqual(['overdue', 'overdue', 'overdue']);

      // 2. p and r elect their committees through the staffing API; q never holds its election.
      const pResults = await holdFirstElection('p', electionOf('p'));
      await holdFirstElection('r', electionOf('r'));
      const composition = await stf.get(`${AN}/committees/${id('p-rc')}/composition`, tokens.auditor);
      expect(composition.body).toMatchObject({ committeeId: id('p-rc'), size: 5, expired: true });

      // A staffing decision is a CloudEvent on lanzhou.registry.staffing-elections.events.v1.
      const termStarted = pResults.events.find((e) => e.type === 'TermStarted')!;
      const published = await recordOf(termStarted.eventId);
      expect(published.topic).toBe('lanzhou.registry.staffing-elections.events.v1');
      expect(published.message.key?.toString()).toBe('district-anning');
      const headers = headersAsText(published.message.headers);
      expect(headers).toMatchObject({
        ce_specversion: '1.0',
        ce_type: 'TermStarted.v1',
        ce_source: '/lanzhou/registry/staffing-elections',
        ce_subject: 'district-anning',
        'content-type': 'application/json',
      });
      expect(headers.ce_ruleids.split(',')).toEqual(
        expect.arrayContaining(['ELECT-1', 'ELECT-2', 'ELECT-4']),
      );
      const decoded = fromKafkaRecord(published.message);
      expect(decoded.event).toMatchObject({ type: 'TermStarted', streamId: 'district-anning' });
      expect(STAFFING_EVENTS.TermStarted.data.parse(decoded.event.data)).toEqual(decoded.event.data);
      // The reaction's own events carry the establishment event as their cause.
      const called = (await staffingEvents()).find(
        (e) => e.type === 'ElectionCalled' && e.data.committeeId === id('p-rc'),
      )!;
      const reacted = await recordOf(called.eventId);
      expect(fromKafkaRecord(reacted.message).event.metadata.causationId).toBe(pEstablished.eventId);

      // 3. A merger of p and q: p's term ends, q's open first election is superseded, m is elected anew.
      const merger = await decided(est, '/committee-mergers', {
        effectiveAt: '2015-07-01',
        legalBasis: '安宁区政发〔2015〕21号',
        sourceCommunityIds: [id('p'), id('q')],
        communityId: id('m'),
        committeeId: id('m-rc'),
        name: '合并社区居民委员会',
      });
      const afterMerger = await within('the merger election', async () => {
        const entries = await calendar('2015-07-02');
        return entries.some((e) => e.committeeId === id('m-rc')) ? entries : undefined;
      });
      // The calendar is paged by committee id (ELECT-2, ELECT-4).
      expect(afterMerger.map((e) => [e.committeeId, e.kind])).toEqual([
        [id('m-rc'), 'called-election'],
        [id('r-rc'), 'term-end'],
      ]);
      expect((await calendar()).map((e) => e.committeeId).sort()).toEqual([id('m-rc'), id('r-rc')].sort());
      expect((await timeline(id('p-rc'))).filter((e) => e.type === 'TermEnded')).toEqual([
        expect.objectContaining({
          data: expect.objectContaining({ reason: 'merger', endedOn: '2015-07-01' }),
        }),
      ]);
      expect((await timeline(id('q-rc'))).map((e) => e.type)).toEqual([
        'ElectionCalled',
        'ElectionCancelled',
      ]);
      expect((await stf.get(`${AN}/committees/${id('p-rc')}/composition`, tokens.auditor)).status).toBe(404);

      // 4. A dissolution of r (its area goes to m): r's term ends, with no election in its place.
      const dissolution = await decided(est, `/communities/${id('r')}/dissolution`, {
        effectiveAt: '2016-01-01',
        legalBasis: '安宁区政发〔2016〕2号',
        areaSuccessors: [{ areaId: id('r-a'), successor: { kind: 'own-committee', communityId: id('m') } }],
        reason: '并入合并社区',
      });
      const ended = await within('the dissolution ending r’s term', async () => {
        const found = (await timeline(id('r-rc'))).find((e) => e.type === 'TermEnded');
        return found;
      });
      expect(ended.data).toMatchObject({ reason: 'dissolution', endedOn: '2016-01-01', byElectionId: null });
      expect((await calendar()).map((e) => e.committeeId)).toEqual([id('m-rc')]);
      const composition404 = await stf.get(`${AN}/committees/${id('r-rc')}/composition`, tokens.auditor);
      expect(composition404.status).toBe(404);

      // 5. Replayed and duplicated messages change nothing: every establishment record of this run,
      //    sent again twice over.
      const before = await staffingEvents();
      const calendarBefore = await calendar();
      const establishmentIds = [...established, merger, dissolution].flatMap((d) =>
        d.events.map((e) => e.eventId),
      );
      const again: KafkaRecord[] = [];
      for (const eventId of establishmentIds) again.push((await recordOf(eventId)).message);
      await services.sendAgain(topicOf('community-establishment'), [...again, ...again]);
      await new Promise((r) => setTimeout(r, 4_000));
      expect(await staffingEvents()).toEqual(before);
      expect(await calendar()).toEqual(calendarBefore);

      // Every staffing event of the run reached the topic, valid against the published catalogue and
      // free of national id numbers.
      for (const e of before) {
        const { topic, message } = await recordOf(e.eventId);
        expect(topic).toBe(topicOf('staffing-elections'));
        const event = fromKafkaRecord(message).event;
        expect(STAFFING_EVENTS[event.type as StaffingContractType].data.safeParse(event.data).success).toBe(
          true,
        );
        expect(`${message.value?.toString()}${JSON.stringify(headersAsText(message.headers))}`).not.toMatch(
          /(^|[^0-9])[0-9]{17}[0-9Xx]([^0-9]|$)/,
        );
      }
      expect(new Set(before.map((e) => e.type))).toEqual(
        new Set([
          'ElectionCalled',
          'ElectorateRegistered',
          'ElectionHeld',
          'TermStarted',
          'TermEnded',
          'ElectionCancelled',
        ]),
      );
    }, 180_000);
  },
);
