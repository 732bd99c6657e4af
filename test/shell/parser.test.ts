import { describe, expect, it } from 'vitest';
import { z } from 'zod';
import { tokenize, bindArgs, validateArgs } from '../../src/shell/parser.js';
import { defineCommand, type AnyCommand } from '../../src/shell/command.js';
import { ok } from '../../src/core/result.js';
import { UserError } from '../../src/core/errors.js';

const cmd = defineCommand({
  name: 'demo',
  summary: 'test command',
  positional: ['table', 'paths'],
  schema: z.object({
    table: z.string().describe('t'),
    paths: z.array(z.string()).default([]).describe('p'),
    rows: z.coerce.number().int().positive().default(10).describe('r'),
    tail: z.boolean().default(false).describe('tail'),
    symbols: z.array(z.string()).optional().describe('s'),
    fillRule: z.enum(['next_open', 'same_close']).default('next_open').describe('f'),
  }),
  run: () => ok('demo', []),
}) as unknown as AnyCommand;

const parse = (line: string) => validateArgs(cmd, bindArgs(cmd, tokenize(line)));

describe('tokenize', () => {
  it('splits on blanks and keeps quoted groups', () => {
    expect(tokenize(`ingest file "my data.csv" --map 'ts=Date, close=Close'`)).toEqual(['ingest', 'file', 'my data.csv', '--map', 'ts=Date, close=Close']);
  });
  it('honours backslash escapes and empty quotes', () => {
    expect(tokenize('a\\ b "" c')).toEqual(['a b', '', 'c']);
  });
  it('rejects an unclosed quote', () => {
    expect(() => tokenize('show "abc')).toThrow(/unclosed " quote/);
  });
});

describe('bindArgs + validateArgs', () => {
  it('maps positionals in order; an array field takes the rest', () => {
    expect(parse('SPY:1d a.csv b.csv')).toMatchObject({ table: 'SPY:1d', paths: ['a.csv', 'b.csv'], rows: 10, tail: false });
  });
  it('coerces numbers, takes bare booleans, kebab-case flags and --flag=value', () => {
    expect(parse('X --rows 5 --tail --fill-rule=same_close')).toMatchObject({ rows: 5, tail: true, fillRule: 'same_close' });
  });
  it('splits comma lists for array flags and accumulates repeats', () => {
    expect(parse('X --symbols BTC,ETH --symbols SOL').symbols).toEqual(['BTC', 'ETH', 'SOL']);
  });
  it('a negative number is a value, not a flag', () => {
    expect(() => parse('X --rows -3')).toThrow(/--rows .*-3/);
  });
  it('names the flag and what was expected for a bad value', () => {
    expect(() => parse('X --rows many')).toThrow(UserError);
    expect(() => parse('X --rows many')).toThrow(/--rows expected number, received NaN \(got 'many'\)/);
    expect(() => parse('X --fill-rule sometime')).toThrow(/--fill-rule .*next_open.*same_close/);
  });
  it('unknown flags get a did-you-mean', () => {
    expect(() => parse('X --row 5')).toThrow(/unknown flag --row; did you mean --rows\?/);
  });
  it('a flag missing its value is named', () => {
    expect(() => parse('X --rows')).toThrow(/--rows needs a value/);
  });
  it('a missing required positional is named', () => {
    expect(() => parse('--tail')).toThrow(/<table> is required/);
  });
  it('booleans accept explicit true/false only', () => {
    expect(parse('X --tail=false').tail).toBe(false);
    expect(() => parse('X --tail=maybe')).toThrow(/--tail takes true or false/);
  });
  it('rejects a flag given twice', () => {
    expect(() => parse('X --rows 1 --rows 2')).toThrow(/--rows given twice/);
  });
});
