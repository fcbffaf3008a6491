/**
 * The lifetime kube-controller-manager's signer gives a certificate
 * (pkg/controller/certificates/authority/policies.go PermissiveSigningPolicy
 * with Backdate 5m and Short 8h, set in pkg/controller/certificates/signer/
 * signer.go): NotBefore = now − 5m; NotAfter = now + ttl for ttl < 8h (a short
 * certificate keeps the whole ttl after its backdated start), now + ttl − 5m
 * otherwise; NotAfter never later than the CA's NotAfter.
 */
export const SIGNER_BACKDATE_SECONDS = 5 * 60;
export const SIGNER_SHORT_SECONDS = 8 * 3600;

/** NotAfter − NotBefore, in seconds, for a CSR without expirationSeconds signed with this TTL. */
export function expectedLifetimeSeconds(ttlSeconds: number): number {
  return ttlSeconds < SIGNER_SHORT_SECONDS ? ttlSeconds + SIGNER_BACKDATE_SECONDS : ttlSeconds;
}
