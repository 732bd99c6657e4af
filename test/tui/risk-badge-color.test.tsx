/**
 * The risk badge colours (NORMAL green, REDUCED yellow, HALT red). Colour is only emitted when
 * chalk thinks the terminal supports it, so this file forces colour before Ink is imported.
 */
import { describe, expect, it, beforeAll } from 'vitest';
import type React from 'react';
import { status } from '../../src/core/result.js';

let render: typeof import('ink-testing-library').render;
let RiskPane: typeof import('../../src/tui/RiskPane.js').RiskPane;
let createElement: typeof React.createElement;

beforeAll(async () => {
  process.env['FORCE_COLOR'] = '1';
  ({ render } = await import('ink-testing-library'));
  ({ RiskPane } = await import('../../src/tui/RiskPane.js'));
  ({ createElement } = await import('react'));
});

const BG = { green: '\u001b[42m', yellow: '\u001b[43m', red: '\u001b[41m' };

describe('risk badge colour', () => {
  for (const [mode, color] of [['NORMAL', 'green'], ['REDUCED', 'yellow'], ['HALT', 'red']] as const) {
    it(`${mode} is ${color}`, () => {
      const frame = render(createElement(RiskPane, { status: [status('risk', [{ name: 'mode', value: mode }])], width: 30, height: 3 })).lastFrame() ?? '';
      expect(frame).toContain(`${BG[color]}`);
      // the badge background wraps the mode itself
      expect(frame.slice(frame.indexOf(BG[color]))).toMatch(new RegExp(`^[^\\n]*${mode}`));
      for (const other of Object.values(BG)) if (other !== BG[color]) expect(frame).not.toContain(other);
    });
  }
});
