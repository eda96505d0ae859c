package dev.posgate.gateway.cli;

import java.net.http.HttpRequest;
import java.nio.file.Path;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Parameters;

/** {@code posgate kms ...}: the KMS admin API (docs/kms.md); revocations and repairs are under {@code ca}. */
@Command(name = "kms", mixinStandardHelpOptions = true, description = "KMS: upload a factory TK batch.",
        subcommands = {KmsCommand.UploadBatch.class})
final class KmsCommand {

    @Command(name = "upload-batch", mixinStandardHelpOptions = true,
            description = "Upload a signed TK batch (DER CMS SignedData, as the operator terminal writes it).")
    static final class UploadBatch implements Callable<Integer> {
        @Mixin AdminTarget admin;
        @Mixin Output output;
        @Parameters(index = "0", paramLabel = "FILE", description = "The signed batch.") Path file;

        @Override
        public Integer call() throws Exception {
            return output.print(admin, admin.send("POST", "/api/kms/batches", HttpRequest.BodyPublishers.ofFile(file),
                    "application/pkcs7-mime"), "uploading the TK batch " + file, 200);
        }
    }
}
