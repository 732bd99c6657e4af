/** shell: session state, the command contract and registry, parsing, dispatch, transcripts, replay, text rendering. */
export { Session, packageRoot, type SessionInit } from './session.js';
export { defineCommand, type CommandDefinition, type CommandIO, type Progress, type AnyCommand, type CompletionSource } from './command.js';
export { loadRegistry, type Registry } from './registry.js';
export { Dispatcher, resultDigest, blockDigests, errorResult, type Executed, type ExecuteOptions } from './dispatcher.js';
export { createShell, sharedRegistry, type Shell, type ShellInit } from './runtime.js';
export { TranscriptWriter, readTranscriptFile, type TranscriptHeader, type TranscriptRecord } from './transcript.js';
export { replayTranscript, replayVerdict, describeFinding, type ReplayReport } from './replay.js';
export { runScriptLines, runScriptSource } from './headless.js';
export { parseScript, readScript, type ScriptLine } from './script.js';
export { renderText, renderBlock } from './render-text.js';
