/** config: the zod schema of every section, loading, overlays, validation and the config digest. */
export { configSchema, type EdgelabConfig } from './schema.js';
export { loadConfig, validateConfig, mergeOverlay, configDigest, configToYaml, getPath, setPath, readYamlFile, formatIssues } from './load.js';
