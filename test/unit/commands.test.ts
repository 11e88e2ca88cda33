import { describe, expect, it } from 'vitest';
import { isOperatorCommand, parseOperatorInput } from '../../src/commands.js';

describe('parseOperatorInput', () => {
  it('passes plain text through', () => {
    expect(parseOperatorInput('hello there')).toEqual({ kind: 'text', body: 'hello there' });
    expect(parseOperatorInput('say !end later')).toEqual({ kind: 'text', body: 'say !end later' });
  });

  it('turns `!!x` into the text `!x`', () => {
    expect(parseOperatorInput('!!x')).toEqual({ kind: 'text', body: '!x' });
    expect(parseOperatorInput('!!end')).toEqual({ kind: 'text', body: '!end' });
  });

  it('parses a known command with empty args', () => {
    expect(parseOperatorInput('!end')).toEqual({ kind: 'command', name: 'end', args: '' });
  });

  it('is case-insensitive and ignores trailing spaces', () => {
    expect(parseOperatorInput('!END  ')).toEqual({ kind: 'command', name: 'end', args: '' });
  });

  it('trims the arguments', () => {
    expect(parseOperatorInput('!transfer   bob@localhost  ')).toEqual({ kind: 'command', name: 'transfer', args: 'bob@localhost' });
    expect(parseOperatorInput('!note  first line\nsecond line \n')).toEqual({
      kind: 'command',
      name: 'note',
      args: 'first line\nsecond line',
    });
  });

  it('reports an unknown command by its lower-cased name', () => {
    expect(parseOperatorInput('!Frobnicate now')).toEqual({ kind: 'unknown-command', name: 'frobnicate' });
    expect(parseOperatorInput('!')).toEqual({ kind: 'unknown-command', name: '' });
  });
});

describe('isOperatorCommand', () => {
  it('is true for a command or an unknown one, false for text and for the !! escape', () => {
    expect(isOperatorCommand('!end')).toBe(true);
    expect(isOperatorCommand('!frobnicate')).toBe(true);
    expect(isOperatorCommand('!!end is near')).toBe(false);
    expect(isOperatorCommand('hello !end')).toBe(false);
    expect(isOperatorCommand('')).toBe(false);
  });
});
