import { strict as assert } from "node:assert";
import * as pulumi from "@pulumi/pulumi";
import { platformGatewayRef } from "../../config/apps";

/** The platform stack's `appGateway`, as a workloads stack reads it: only when a route attaches to it. */
describe("platformGatewayRef", () => {
    const valueOf = (o: pulumi.Output<string>) => (o as unknown as { promise(): Promise<string> }).promise();

    it("reads nothing, and fails nothing, while no route attaches (a platform stack without appGateway)", async () => {
        const unhandled: unknown[] = [];
        const onUnhandled = (e: unknown) => unhandled.push(e);
        process.on("unhandledRejection", onUnhandled);
        try {
            platformGatewayRef(pulumi.output(undefined), "dev");
            await new Promise((resolve) => setTimeout(resolve, 50));
        } finally {
            process.off("unhandledRejection", onUnhandled);
        }
        assert.deepEqual(unhandled, []);
    });

    it("gives the Gateway a route attaches to, and names the platform stack when it exports none", async () => {
        const ref = platformGatewayRef(pulumi.output({ name: "apps", namespace: "app-gateway" }), "prod");
        assert.deepEqual(await Promise.all([valueOf(ref.name), valueOf(ref.namespace)]), ["apps", "app-gateway"]);
        await assert.rejects(
            valueOf(platformGatewayRef(pulumi.output(undefined), "dev").name),
            /platformStack dev exports no appGateway/,
        );
    });
});
