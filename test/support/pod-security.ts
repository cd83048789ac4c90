/** Asserts the "restricted" Pod Security Standard and our job conventions on a pod spec. */
import { strict as assert } from "node:assert";

export function assertRestrictedPod(pod: any, where: string): void {
    assert.equal(pod.securityContext?.runAsNonRoot, true, `${where}: runAsNonRoot`);
    assert.equal(typeof pod.securityContext?.runAsUser, "number", `${where}: numeric runAsUser`);
    assert.equal(pod.securityContext?.seccompProfile?.type, "RuntimeDefault", `${where}: seccomp`);
    for (const container of [...(pod.initContainers ?? []), ...pod.containers]) {
        const at = `${where}/${container.name}`;
        const context = container.securityContext ?? {};
        assert.equal(context.allowPrivilegeEscalation, false, `${at}: allowPrivilegeEscalation`);
        assert.deepEqual(context.capabilities?.drop, ["ALL"], `${at}: drop ALL`);
        assert.equal(context.readOnlyRootFilesystem, true, `${at}: read-only root`);
        assert.ok(container.resources?.requests && container.resources?.limits, `${at}: requests and limits`);
        assert.match(container.image, /:[0-9][\w.-]*$/, `${at}: image pinned by version`);
        for (const env of container.env ?? []) {
            assert.ok(!/(SECRET|PASSWORD|TOKEN|KEY_ID)/.test(env.name) || env.valueFrom?.secretKeyRef, `${at}: ${env.name} must come from a Secret`);
        }
    }
    const scratch = (pod.volumes ?? []).filter((volume: any) => volume.emptyDir);
    assert.ok(scratch.length > 0, `${where}: an emptyDir for scratch`);
}
