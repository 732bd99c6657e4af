/**
 * The confirm dialog (io.confirm in the TUI, docs/shell.md "Confirmations"): a command's yes/no
 * question takes the prompt's line, with the keys on the line under it. y confirms; n, Enter and
 * Esc answer no, the default; Ctrl+C answers no and cancels the line. Ink owns the keyboard, so the
 * dialog is drawn here rather than by a prompt library reading stdin.
 */
import React from 'react';
import { Text } from 'ink';
import { truncate } from './text-fit.js';

export const CONFIRM_HINT = ' y confirms · n, Enter or Esc = No (the default) · Ctrl+C = No and cancel';

/** The question line: ' ? Promote sma_cross@2.0.0 to LIVE (real capital)? [y/N] '. */
export const confirmText = (question: string, width: number): string => truncate(` ? ${question} [y/N] `, width);

export function ConfirmDialog({ question, width }: { readonly question: string; readonly width: number }): React.JSX.Element {
  return (
    <Text color="black" backgroundColor="yellow" bold wrap="truncate">
      {confirmText(question, width)}
    </Text>
  );
}
