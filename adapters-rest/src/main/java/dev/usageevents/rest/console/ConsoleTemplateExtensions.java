package dev.usageevents.rest.console;

import dev.usageevents.domain.model.meter.PropertyPath;
import io.quarkus.qute.TemplateExtension;

/** What the console's templates add to the domain's types. */
@TemplateExtension
final class ConsoleTemplateExtensions {

    private ConsoleTemplateExtensions() {
    }

    /** A property path as the forms take it: {@code usage.tokens}. */
    static String dotted(PropertyPath path) {
        return String.join(".", path.segments());
    }
}
