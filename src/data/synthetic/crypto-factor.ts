/** The common crypto factor: one GARCH-t path shared by every crypto asset (stream 'synthetic/crypto/factor'). */
import type { RngFactory } from './types.js';
import { garchPath, type GarchPath } from './garch-path.js';
import { CRYPTO_FACTOR_VOL, CRYPTO_GARCH, CRYPTO_REGIME } from './params.js';

export function cryptoFactor(rngFactory: RngFactory, regimeOfBar: Uint8Array): GarchPath {
  return garchPath(rngFactory('synthetic/crypto/factor'), regimeOfBar, CRYPTO_REGIME.volMult, CRYPTO_FACTOR_VOL, CRYPTO_GARCH);
}
