/**
 * A promise-based client of the `pulumirpc.Analyzer` service, using the generated stubs shipped inside
 * @pulumi/pulumi (proto/analyzer_grpc_pb.js) over @grpc/grpc-js, as the engine's analyzer plugin does.
 */
import * as grpc from "@grpc/grpc-js";
import { Empty } from "google-protobuf/google/protobuf/empty_pb";
import { AnalyzerClient } from "@pulumi/pulumi/proto/analyzer_grpc_pb";
import type * as pb from "@pulumi/pulumi/proto/analyzer_pb";

/** The engine raises gRPC's 4 MB default; so does the gate, for large stacks. */
const MAX_MESSAGE_BYTES = 400 * 1024 * 1024;

type Unary<Req, Res> = (
    req: Req,
    metadata: grpc.Metadata,
    options: Partial<grpc.CallOptions>,
    cb: (err: grpc.ServiceError | null, res: Res) => void,
) => grpc.ClientUnaryCall;

export class Analyzer {
    private readonly client: AnalyzerClient;

    /** Connects to the pack's server on 127.0.0.1:`port`; every call fails after `callTimeoutMs`. */
    constructor(
        port: number,
        private readonly callTimeoutMs: number,
    ) {
        this.client = new AnalyzerClient(`127.0.0.1:${port}`, grpc.credentials.createInsecure(), {
            "grpc.max_receive_message_length": MAX_MESSAGE_BYTES,
            "grpc.max_send_message_length": MAX_MESSAGE_BYTES,
        });
    }

    private call<Req, Res>(method: Unary<Req, Res>, req: Req, name: string): Promise<Res> {
        return new Promise((resolve, reject) => {
            method.call(
                this.client,
                req,
                new grpc.Metadata(),
                { deadline: Date.now() + this.callTimeoutMs },
                (err, res) => {
                    if (err) reject(new Error(`${name} failed: ${err.details || err.message}`, { cause: err }));
                    else resolve(res);
                },
            );
        });
    }

    getAnalyzerInfo(): Promise<pb.AnalyzerInfo> {
        return this.call(this.client.getAnalyzerInfo as Unary<Empty, pb.AnalyzerInfo>, new Empty(), "GetAnalyzerInfo");
    }

    configureStack(req: pb.AnalyzerStackConfigureRequest): Promise<pb.AnalyzerStackConfigureResponse> {
        return this.call(
            this.client.configureStack as Unary<pb.AnalyzerStackConfigureRequest, pb.AnalyzerStackConfigureResponse>,
            req,
            "ConfigureStack",
        );
    }

    configure(req: pb.ConfigureAnalyzerRequest): Promise<Empty> {
        return this.call(this.client.configure as Unary<pb.ConfigureAnalyzerRequest, Empty>, req, "Configure");
    }

    remediate(req: pb.AnalyzeRequest): Promise<pb.RemediateResponse> {
        return this.call(this.client.remediate as Unary<pb.AnalyzeRequest, pb.RemediateResponse>, req, "Remediate");
    }

    analyze(req: pb.AnalyzeRequest): Promise<pb.AnalyzeResponse> {
        return this.call(this.client.analyze as Unary<pb.AnalyzeRequest, pb.AnalyzeResponse>, req, "Analyze");
    }

    analyzeStack(req: pb.AnalyzeStackRequest): Promise<pb.AnalyzeResponse> {
        return this.call(
            this.client.analyzeStack as Unary<pb.AnalyzeStackRequest, pb.AnalyzeResponse>,
            req,
            "AnalyzeStack",
        );
    }

    close(): void {
        this.client.close();
    }
}
