/** The prompt text, shared by the first frame (first-paint.ts, no Ink) and Prompt.tsx. */
export const PROMPT_TEXT = 'edgelab> ';
