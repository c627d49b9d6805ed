import { mkdirSync, writeFileSync } from 'node:fs';
import * as path from 'node:path';
import { Command } from 'commander';
import { asyncApiDocument, eventCatalogue } from '#libs/contracts';

/**
 * Writes the public event catalogue: `<out>/asyncapi.json` (AsyncAPI 3.0.0, every service topic)
 * and `<out>/<Type>.v<version>.schema.json` (JSON Schema of each event type's data).
 *
 *   npm run build && node dist/scripts/catalogue.js --out docs/events
 */
const program = new Command()
  .name('catalogue')
  .description('write the AsyncAPI document and the JSON Schemas of the public events')
  .option('--out <dir>', 'output directory', 'docs/events')
  .parse();

const out = path.resolve(program.opts<{ out: string }>().out);
mkdirSync(out, { recursive: true });
const write = (name: string, value: unknown) => {
  writeFileSync(path.join(out, name), `${JSON.stringify(value, null, 2)}\n`);
  return name;
};

const written = [write('asyncapi.json', asyncApiDocument())];
for (const service of Object.values(eventCatalogue())) {
  for (const e of Object.values(service.events)) {
    written.push(
      write(`${e.id}.v${e.version}.schema.json`, {
        ...e.schema,
        $id: `${e.id}.v${e.version}.schema.json`,
        title: `${e.name} v${e.version}`,
        description: e.description,
        'x-topic': service.topic,
        'x-ce-type': e.ceType,
      }),
    );
  }
}
console.error(`catalogue: ${written.length} files in ${out}`);
