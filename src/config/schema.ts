/**
 * The whole configuration: one zod section per engine room, composed here. Each section file
 * owns its fields, defaults and descriptions; configs/base.yaml supplies the values and
 * experiment overlays (configs/experiments/*.yaml) override them.
 */
import { z } from 'zod';
import { sessionSection } from './sections/session.js';
import { syntheticSection } from './sections/synthetic.js';
import { dataSection } from './sections/data.js';
import { networkSection } from './sections/network.js';
import { featuresSection } from './sections/features.js';
import { regimeSection } from './sections/regime.js';
import { backtestSection } from './sections/backtest.js';
import { reportSection } from './sections/report.js';
import { lifecycleSection } from './sections/lifecycle.js';
import { scaleSection } from './sections/scale.js';

export const configSchema = z
  .object({
    session: sessionSection.default(sessionSection.parse({})),
    synthetic: syntheticSection.default(syntheticSection.parse({})),
    data: dataSection.default(dataSection.parse({})),
    network: networkSection.default(networkSection.parse({})),
    features: featuresSection.default(featuresSection.parse({})),
    regime: regimeSection.default(regimeSection.parse({})),
    backtest: backtestSection.default(backtestSection.parse({})),
    // optional: absent from a config means the defaults, and the config digest stays as it was
    report: reportSection.optional(),
    lifecycle: lifecycleSection.optional(),
    scale: scaleSection.optional(),
  })
  .strict();

export type EdgelabConfig = z.infer<typeof configSchema>;
