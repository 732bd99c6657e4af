import { z } from 'zod';

/** 'backtest' section of configs/base.yaml (owned by the backtest room; extend with .describe()d fields). */
export const backtestSection = z.object({}).passthrough();
