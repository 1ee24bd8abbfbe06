/**
 * Helpers shared by the codex checks (one check per file in this folder).
 */
import { CODEX_INSTALL_HINT } from '../../../codex/binary.js';

export const INSTALL = CODEX_INSTALL_HINT;
