// Run: npm run build && npm exec -- node examples/subscriber/main.ts   (Node 24 strips the types)
import { startSubscriber } from './subscriber.ts';

const brokers = (process.env.KAFKA_BROKERS ?? '127.0.0.1:9092').split(',');
const topic = process.env.TOPIC ?? 'lanzhou.registry.community-establishment.events.v1';
const groupId = process.env.GROUP_ID ?? 'civil-affairs-copy';
const databaseFile = process.env.DB_FILE ?? './data/civil-affairs-copy.sqlite';

async function main(): Promise<void> {
  let received = 0;
  const subscriber = await startSubscriber({
    brokers,
    topic,
    groupId,
    databaseFile,
    onEvent: (e) => {
      received++;
      process.stdout.write(`${e.streamId}#${e.streamRevision} ${e.type} ok (${received} this run)\n`);
    },
    onBreak: (r) =>
      console.error(
        `CHAIN BREAK ${r.reason} at ${r.streamId ?? '?'}#${r.streamRevision ?? '?'}: ${r.detail}`,
      ),
  });
  process.stdout.write(
    `consuming ${topic} from ${brokers.join(',')} as ${groupId}, copy in ${databaseFile}\n`,
  );
  const stop = () => {
    subscriber.stop().then(
      () => process.exit(0),
      (e: unknown) => {
        console.error(e);
        process.exit(1);
      },
    );
  };
  process.once('SIGINT', stop);
  process.once('SIGTERM', stop);
}

main().catch((e: unknown) => {
  console.error(e);
  process.exit(1);
});
