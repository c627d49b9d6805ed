import { asyncApiDocument } from './catalogue';

describe('tmp', () => {
  it('parses', async () => {
    const { Parser } = await import('@asyncapi/parser');
    const parser = new Parser();
    const { document, diagnostics } = await parser.parse(JSON.stringify(asyncApiDocument()));
    console.warn(JSON.stringify(diagnostics.map((d) => [d.severity, d.code, d.message, d.path.join('/')]), null, 1));
    console.warn(JSON.stringify(asyncApiDocument().components, null, 1).slice(0, 3000));
    expect(document).toBeDefined();
  });
});
