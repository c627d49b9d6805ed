import { spawnSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { ROOT } from './build';

/*
 * The README's curl session, run from the README itself: the ```sh blocks of its three API
 * sections are read with a small interpreter of the shell they use (assignments, `$(...)`,
 * single- and double-quoted words, line continuations, comments, one `for` loop, `curl` with
 * -s/-H/-X/-d, `npm run -s token`, and `jq -r` with `.a[]`, `select(.k == "v")` and `.k`). So the
 * test and the README cannot drift apart: anything else in those blocks fails the test by name.
 */

type Part = { kind: 'lit'; text: string } | { kind: 'var'; name: string } | { kind: 'sub'; text: string };
type Word = Part[];
type Command = Word[];

/** The ```sh blocks from "## The API (community establishment" up to "## Configuration". */
export function readmeSessionScript(readme = readFileSync(join(ROOT, 'README.md'), 'utf8')): string {
  const start = readme.indexOf('## The API (community establishment');
  const end = readme.indexOf('## Configuration', start);
  if (start < 0 || end < 0) throw new Error('README: the API sections are not where the test looks for them');
  const blocks = [...readme.slice(start, end).matchAll(/```sh\n([\s\S]*?)```/g)].map((m) => m[1]);
  if (blocks.length === 0) throw new Error('README: no sh blocks in the API sections');
  return blocks.join('\n');
}

const NAME = /[A-Za-z_][A-Za-z0-9_]*/y;

/** Where the `$(` at `open` closes, skipping quoted text. */
function closingParen(text: string, open: number): number {
  let depth = 0;
  for (let i = open; i < text.length; i++) {
    const c = text[i];
    if (c === "'") i = text.indexOf("'", i + 1);
    else if (c === '"') {
      for (i++; i < text.length && text[i] !== '"'; i++) if (text[i] === '\\') i++;
    } else if (c === '(') depth++;
    else if (c === ')' && --depth === 0) return i;
  }
  throw new Error(`unclosed $( in: ${text.slice(open, open + 60)}`);
}

/** Splits shell text into commands of words (newline and `;` end a command; `|` is a word). */
export function lex(text: string): Command[] {
  const commands: Command[] = [];
  let command: Command = [];
  let word: Word | undefined;
  const lit = (s: string) => {
    word ??= [];
    const last = word[word.length - 1];
    if (last?.kind === 'lit') last.text += s;
    else word.push({ kind: 'lit', text: s });
  };
  const endWord = () => {
    if (word) command.push(word);
    word = undefined;
  };
  const endCommand = () => {
    endWord();
    if (command.length) commands.push(command);
    command = [];
  };
  /** `$...` at i (a variable or a command substitution); returns the index after it. */
  const dollar = (i: number): number => {
    word ??= [];
    if (text[i + 1] === '(') {
      const close = closingParen(text, i + 1);
      word.push({ kind: 'sub', text: text.slice(i + 2, close) });
      return close + 1;
    }
    if (text[i + 1] === '{') {
      const close = text.indexOf('}', i);
      word.push({ kind: 'var', name: text.slice(i + 2, close) });
      return close + 1;
    }
    NAME.lastIndex = i + 1;
    const m = NAME.exec(text);
    if (!m) {
      lit('$');
      return i + 1;
    }
    word.push({ kind: 'var', name: m[0] });
    return i + 1 + m[0].length;
  };
  for (let i = 0; i < text.length;) {
    const c = text[i];
    if (c === '\\' && text[i + 1] === '\n') i += 2;
    else if (c === '\\') {
      lit(text[i + 1]);
      i += 2;
    } else if (c === ' ' || c === '\t') {
      endWord();
      i++;
    } else if (c === '\n' || c === ';') {
      endCommand();
      i++;
    } else if (c === '#' && word === undefined) {
      const eol = text.indexOf('\n', i);
      i = eol < 0 ? text.length : eol;
    } else if (c === '|') {
      endWord();
      command.push([{ kind: 'lit', text: '|' }]);
      i++;
    } else if (c === "'") {
      const close = text.indexOf("'", i + 1);
      if (close < 0) throw new Error(`unclosed ' in: ${text.slice(i, i + 60)}`);
      lit(text.slice(i + 1, close));
      word ??= [];
      i = close + 1;
    } else if (c === '"') {
      word ??= [];
      for (i++; i < text.length && text[i] !== '"';) {
        if (text[i] === '\\') {
          lit(text[i + 1]);
          i += 2;
        } else if (text[i] === '$') i = dollar(i);
        else lit(text[i++]);
      }
      i++;
    } else if (c === '$') i = dollar(i);
    else {
      lit(c);
      i++;
    }
  }
  endCommand();
  return commands;
}

/** `jq -r` with the three filters the README uses. */
function jq(expression: string, input: string): string {
  let values: unknown[] = [JSON.parse(input)];
  for (const stage of expression.split('|').map((s) => s.trim())) {
    let m: RegExpMatchArray | null;
    if ((m = stage.match(/^\.(\w+)\[\]$/)))
      values = values.flatMap((v) => (v as Record<string, unknown[]>)[m![1]]);
    else if ((m = stage.match(/^select\(\.(\w+) == "([^"]*)"\)$/)))
      values = values.filter((v) => (v as Record<string, unknown>)[m![1]] === m![2]);
    else if ((m = stage.match(/^\.(\w+)$/)))
      values = values.map((v) => (v as Record<string, unknown>)[m![1]]);
    else throw new Error(`README: jq filter not understood by the test: ${stage}`);
  }
  return values.map((v) => (typeof v === 'string' ? v : JSON.stringify(v))).join('\n');
}

export interface SessionRequest {
  readonly method: string;
  readonly url: string;
  readonly status: number;
  readonly body: string;
}

export interface SessionOptions {
  /** The README's service addresses (http://127.0.0.1:3001, ...) to where they run in the test. */
  readonly urls: Record<string, string>;
  /** How long a `VAR=$(curl ... | jq ...)` may stay empty: it waits on a cross-service reaction. */
  readonly reactionBoundMs: number;
}

/**
 * Runs the README session and returns every request with its answer. A `VAR=$(curl | jq)` that
 * answers nothing is asked again until the bound: the README reads what a reaction in another
 * service decided (an election called for a new committee), which is asynchronous by design.
 */
export async function runReadmeSession(script: string, options: SessionOptions): Promise<SessionRequest[]> {
  const env = new Map<string, string>();
  const requests: SessionRequest[] = [];

  const expand = async (word: Word): Promise<string> => {
    let out = '';
    for (const part of word) {
      if (part.kind === 'lit') out += part.text;
      else if (part.kind === 'var') {
        const value = env.get(part.name);
        if (value === undefined) throw new Error(`README: $${part.name} is used before it is set`);
        out += value;
      } else out += await substitute(part.text);
    }
    return out;
  };

  const curl = async (args: string[]): Promise<string> => {
    let method: string | undefined;
    let body: string | undefined;
    let url: string | undefined;
    const headers: Record<string, string> = {};
    for (let i = 0; i < args.length; i++) {
      const a = args[i];
      if (a === '-s') continue;
      else if (a === '-H') {
        const [name, ...value] = args[++i].split(':');
        headers[name.trim()] = value.join(':').trim();
      } else if (a === '-X') method = args[++i];
      else if (a === '-d') body = args[++i];
      else if (/^https?:\/\//.test(a)) url = a;
      else throw new Error(`README: curl option not understood by the test: ${a}`);
    }
    if (!url) throw new Error(`README: curl without a URL: ${args.join(' ')}`);
    const origin = Object.keys(options.urls).find((o) => url!.startsWith(o));
    if (!origin) throw new Error(`README: curl to an address the test does not serve: ${url}`);
    const target = options.urls[origin] + url.slice(origin.length);
    method ??= body === undefined ? 'GET' : 'POST';
    const res = await fetch(target, { method, headers, body });
    const text = await res.text();
    requests.push({ method, url, status: res.status, body: text });
    return text;
  };

  const run = async (words: string[]): Promise<string> => {
    const [cmd, ...args] = words;
    if (cmd === 'curl') return curl(args);
    if (cmd === 'npm' && args.slice(0, 4).join(' ') === 'run -s token --') {
      const token = spawnSync(process.execPath, ['dist/scripts/token.js', ...args.slice(4)], {
        cwd: ROOT,
        encoding: 'utf8',
      });
      if (token.status !== 0) throw new Error(`npm run token ${args.join(' ')}: ${token.stderr}`);
      return token.stdout;
    }
    throw new Error(`README: command not understood by the test: ${words.join(' ')}`);
  };

  /** `$(...)`: a command, or a command piped into `jq -r`; trailing newlines removed. */
  async function substitute(text: string): Promise<string> {
    const [command] = lex(text);
    const stages: Word[][] = [[]];
    for (const word of command) {
      if (word.length === 1 && word[0].kind === 'lit' && word[0].text === '|') stages.push([]);
      else stages[stages.length - 1].push(word);
    }
    let out = await run(await Promise.all(stages[0].map(expand)));
    for (const stage of stages.slice(1)) {
      const words = await Promise.all(stage.map(expand));
      if (words[0] !== 'jq' || words[1] !== '-r' || words.length !== 3)
        throw new Error(`README: pipe not understood by the test: ${words.join(' ')}`);
      out = jq(words[2], out);
    }
    return out.replace(/\n+$/, '');
  }

  const execute = async (command: Command): Promise<void> => {
    const first = command[0][0];
    const assignment =
      first.kind === 'lit' && command.length === 1 ? /^([A-Za-z_][A-Za-z0-9_]*)=/.exec(first.text) : null;
    if (first.kind === 'lit' && assignment) {
      const rest: Word = [{ ...first, text: first.text.slice(assignment[0].length) }, ...command[0].slice(1)];
      const waitsOnReaction = rest.some((p) => p.kind === 'sub' && p.text.includes('| jq'));
      const deadline = Date.now() + options.reactionBoundMs;
      let value = await expand(rest);
      while (value === '' && waitsOnReaction && Date.now() < deadline) {
        await new Promise((resolve) => setTimeout(resolve, 100));
        value = await expand(rest);
      }
      if (value === '') throw new Error(`README: ${assignment[1]} is empty`);
      env.set(assignment[1], value);
      return;
    }
    await run(await Promise.all(command.map(expand)));
  };

  const commands = lex(script);
  for (let i = 0; i < commands.length; i++) {
    const words = commands[i];
    const head = await expand(words[0]);
    if (head !== 'for') {
      await execute(words);
      continue;
    }
    // for VAR in a b c; do ...; done
    const variable = await expand(words[1]);
    const values = await Promise.all(words.slice(3).map(expand));
    const body: Command[] = [];
    for (i++; i < commands.length && (await expand(commands[i][0])) !== 'done'; i++) {
      const c = commands[i];
      const rest = (await expand(c[0])) === 'do' ? c.slice(1) : c;
      if (rest.length) body.push(rest);
    }
    for (const value of values) {
      env.set(variable, value);
      for (const c of body) await execute(c);
    }
  }
  return requests;
}
