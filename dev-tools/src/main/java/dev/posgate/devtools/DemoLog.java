package dev.posgate.devtools;

import ch.qos.logback.classic.LoggerContext;
import ch.qos.logback.classic.encoder.PatternLayoutEncoder;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.Appender;
import ch.qos.logback.core.FileAppender;
import dev.posgate.gateway.platform.secrets.SecretFile;
import java.io.IOException;
import java.nio.file.Path;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The demo's log: the gateway's and the simulators' log lines go to a file in the data
 * directory instead of the console, where the demo's progress line and summary are (the pattern
 * is logback.xml's, control characters escaped by %safeMsg).
 */
final class DemoLog {
    private DemoLog() {}

    /** Sends the root logger to {@code dir/demo.log} (appended), detaching the console; the file's path. */
    static Path toFile(Path dir) throws IOException {
        SecretFile.ownerOnlyDirectory(dir);
        Path file = dir.resolve("demo.log");
        if (!(LoggerFactory.getILoggerFactory() instanceof LoggerContext context)) return null;
        ch.qos.logback.classic.Logger root = context.getLogger(Logger.ROOT_LOGGER_NAME);
        PatternLayoutEncoder encoder = new PatternLayoutEncoder();
        encoder.setContext(context);
        encoder.setPattern("%d{ISO8601} %-5level [%thread] %logger{24} - %safeMsg%n");
        encoder.start();
        FileAppender<ILoggingEvent> appender = new FileAppender<>();
        appender.setContext(context);
        appender.setName("DEMO_FILE");
        appender.setFile(file.toString());
        appender.setAppend(true);
        appender.setEncoder(encoder);
        appender.start();
        root.addAppender(appender);
        Appender<ILoggingEvent> console = root.getAppender("STDOUT");
        if (console != null) root.detachAppender(console);
        return file;
    }
}
