/**
 * The prompt's line editor as a pure reducer: insert, delete, cursor moves, readline-style kills,
 * history browsing and Tab completion. The component maps keys to actions (Prompt.tsx); this file
 * knows nothing about Ink, so every editing rule is unit-testable.
 */
import { applyCompletion, type Completion } from '../shell/complete.js';

export interface PromptState {
  readonly value: string;
  /** Cursor position in code units, 0..value.length. */
  readonly cursor: number;
  /** Index into history while browsing with ↑/↓; null when editing a fresh line. */
  readonly historyIndex: number | null;
  /** The line being typed before ↑ was pressed, restored by ↓ past the newest entry. */
  readonly draft: string;
  /** Choices left open by the last Tab, shown under the prompt. */
  readonly candidates: readonly string[];
}

export type PromptAction =
  | { readonly type: 'insert'; readonly text: string }
  | { readonly type: 'backspace' }
  | { readonly type: 'delete' }
  | { readonly type: 'left' }
  | { readonly type: 'right' }
  | { readonly type: 'home' }
  | { readonly type: 'end' }
  | { readonly type: 'killBefore' }
  | { readonly type: 'killAfter' }
  | { readonly type: 'killWord' }
  | { readonly type: 'historyUp'; readonly history: readonly string[] }
  | { readonly type: 'historyDown'; readonly history: readonly string[] }
  | { readonly type: 'complete'; readonly complete: (lineBeforeCursor: string) => Completion }
  | { readonly type: 'dismiss' }
  | { readonly type: 'clear' };

export const emptyPrompt: PromptState = { value: '', cursor: 0, historyIndex: null, draft: '', candidates: [] };

const edited = (value: string, cursor: number): PromptState => ({ value, cursor, historyIndex: null, draft: '', candidates: [] });

const moved = (s: PromptState, cursor: number): PromptState => ({ ...s, cursor: Math.max(0, Math.min(s.value.length, cursor)), candidates: [] });

export function promptReducer(s: PromptState, a: PromptAction): PromptState {
  const before = s.value.slice(0, s.cursor);
  const after = s.value.slice(s.cursor);
  switch (a.type) {
    case 'insert': {
      // Pasted text may hold newlines or tabs: the prompt is one line.
      const text = a.text.replace(/[\r\n\t]+/g, ' ').replace(/[\u0000-\u001f\u007f]/g, '');
      if (text === '') return s;
      return edited(before + text + after, s.cursor + text.length);
    }
    case 'backspace':
      return s.cursor === 0 ? s : edited(before.slice(0, -1) + after, s.cursor - 1);
    case 'delete':
      return s.cursor >= s.value.length ? s : edited(before + after.slice(1), s.cursor);
    case 'left':
      return moved(s, s.cursor - 1);
    case 'right':
      return moved(s, s.cursor + 1);
    case 'home':
      return moved(s, 0);
    case 'end':
      return moved(s, s.value.length);
    case 'killBefore':
      return edited(after, 0);
    case 'killAfter':
      return edited(before, s.cursor);
    case 'killWord': {
      const cut = before.replace(/\S+\s*$/, '');
      return edited(cut + after, cut.length);
    }
    case 'historyUp': {
      if (a.history.length === 0) return s;
      const index = s.historyIndex === null ? a.history.length - 1 : Math.max(0, s.historyIndex - 1);
      const value = a.history[index]!;
      return { value, cursor: value.length, historyIndex: index, draft: s.historyIndex === null ? s.value : s.draft, candidates: [] };
    }
    case 'historyDown': {
      if (s.historyIndex === null) return s;
      const index = s.historyIndex + 1;
      if (index >= a.history.length) return { value: s.draft, cursor: s.draft.length, historyIndex: null, draft: '', candidates: [] };
      const value = a.history[index]!;
      return { ...s, value, cursor: value.length, historyIndex: index, candidates: [] };
    }
    case 'complete': {
      const applied = applyCompletion(before, a.complete(before));
      return { ...edited(applied.line + after, applied.line.length), candidates: applied.ambiguous };
    }
    case 'dismiss':
      return s.candidates.length ? { ...s, candidates: [] } : s;
    case 'clear':
      return emptyPrompt;
  }
}
