/**
 * hermes-codex as a library: the same jobs the CLI runs, for Hermes or CI
 * scripts that want results as data.
 */
export { migrate, BACKUP_SUFFIX, type MigrateOptions } from './migrate/migrate.js';
export type { MigrationReport } from './migrate/report.js';
export { planMigration, DEFAULT_PERMISSIONS_PROFILE, type PlanInput, type MigrationPlan } from './migrate/plan.js';
export { translateServer, translateServers } from './migrate/translate.js';
export { renderBlockLines, START_MARKER, END_MARKER } from './migrate/block-render.js';
export { parseHermesConfig, type HermesConfig } from './config/hermes-config.js';
export { parseCodexToml } from './config/codex-toml.js';
export { checkWithCodexLoader, type LoaderVerdict } from './codex/loader.js';
export * from './core/errors.js';
export { toolVersion } from './core/version.js';
export { CodexAppServerClient, type ClientOptions, type ServerNotification, type ServerRequest } from './runtime/client.js';
export { CodexSession, textInput, type TurnResult, type RunTurnOptions, type ThreadOptions } from './runtime/session.js';
export { TurnProjector, type HermesMessage } from './runtime/projector.js';
export { approvalHandler, type ApprovalPolicy, type ApprovalRequest, type ApprovalDecision } from './runtime/approvals.js';
export { runOneTurn, type OneTurnOptions, type OneTurnResult } from './runtime/one-turn.js';
export { checkCodexVersion, parseCodexVersion, MIN_CODEX_VERSION, TESTED_CODEX_VERSION } from './runtime/version.js';
export * from './runtime/errors.js';
export { discoverPlugins, DEFAULT_PLUGIN_TIMEOUT_MS, type DiscoverOptions } from './plugins/discover.js';
export { listPlugins, type ListPluginsOptions } from './plugins/list.js';
export { resolveWorkspace, withLocations, type Workspace, type WorkspaceOptions, type LocationOptions } from './core/workspace.js';
export { decidePlugins, decide as decidePlugin, PluginDiscoveryError, type PluginRow, type PluginListing } from './plugins/decide.js';
export { runDoctor, overallStatus, type RunDoctorOptions } from './doctor/run.js';
export { ALL_CHECKS, selectChecks } from './doctor/registry.js';
export type { CheckResult, CheckStatus, DoctorReport, CheckDefinition } from './doctor/types.js';
export { prepareMigration, type PreparedMigration } from './migrate/migrate.js';
export { switchRuntime, runtimeStatus, parseRuntimeWord, readRuntime, type SwitchReport, type RuntimeStatus } from './hermes/runtime-switch.js';
export { setupProfile, listProfileRows, type ProfileRow, type SetupReport } from './hermes/profiles.js';
export { setNestedScalar } from './hermes/yaml-edit.js';
export { removeManagedBlock, restoreBackup, removalText, type RemoveReport, type RestoreReport } from './migrate/remove.js';
export { ConfigKeptChangingError, WRITE_RETRY, type WriteRetryBounds } from './migrate/retry.js';
