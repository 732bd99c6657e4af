/** Statistics for discovery: one estimator per file, each checked against published or hand-worked values. */
export { meanTTest, meanAndSd, type MeanTest } from './t-test.js';
export { tPValue, type Side } from './p-value.js';
export { clusteredMeanSe, type ClusteredSe } from './clustered-se.js';
export { neweyWestMeanSe, neweyWestLag } from './newey-west.js';
export { benjaminiHochberg, bhRejections, type BhResult } from './benjamini-hochberg.js';
export { blockBootstrapMeanCi, clusterTotals, quantileSorted, type BootstrapCi, type BootstrapOptions } from './block-bootstrap.js';
export { byFactor, benjaminiYekutieli, simes } from './benjamini-yekutieli.js';
