/**
 * Governance: who may talk to a server. {@link dev.lockstep.governance.Authenticator} turns API keys
 * (hashed at rest) and JWT bearer tokens into a {@link dev.lockstep.governance.Principal}.
 */
package dev.lockstep.governance;
