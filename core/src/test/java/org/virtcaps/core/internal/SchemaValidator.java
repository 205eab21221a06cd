package org.virtcaps.core.internal;

import static org.junit.jupiter.api.Assertions.fail;

import java.io.StringReader;
import java.util.ArrayList;
import java.util.List;

import org.xml.sax.ErrorHandler;
import org.xml.sax.InputSource;
import org.xml.sax.SAXParseException;

import com.thaiopensource.util.PropertyMapBuilder;
import com.thaiopensource.validate.ValidateProperty;
import com.thaiopensource.validate.ValidationDriver;

/** Validates documents against libvirt 9.0's capability.rng with Jing. */
public final class SchemaValidator {
    private SchemaValidator() {
    }

    /** The schema errors of a document; empty when it is valid. */
    public static List<String> errors(String xml) {
        List<String> errors = new ArrayList<>();
        ErrorHandler handler = new ErrorHandler() {
            @Override
            public void warning(SAXParseException e) {
            }

            @Override
            public void error(SAXParseException e) {
                errors.add("line " + e.getLineNumber() + ": " + e.getMessage());
            }

            @Override
            public void fatalError(SAXParseException e) {
                errors.add("line " + e.getLineNumber() + ": " + e.getMessage());
            }
        };
        PropertyMapBuilder properties = new PropertyMapBuilder();
        properties.put(ValidateProperty.ERROR_HANDLER, handler);
        ValidationDriver driver = new ValidationDriver(properties.toPropertyMap());
        try {
            driver.loadSchema(ValidationDriver.fileInputSource(schemaFile()));
            driver.validate(new InputSource(new StringReader(xml)));
        } catch (Exception e) {
            errors.add(e.toString());
        }
        return errors;
    }

    /**
     * The schema as a file: Jing resolves the schema's includes relative to it, which does not work
     * inside a jar (the integration tests read this class and the schemas from core's test jar).
     */
    private static synchronized java.io.File schemaFile() throws java.io.IOException {
        if (extracted == null) {
            java.nio.file.Path dir = java.nio.file.Files.createTempDirectory("libvirt-schemas");
            for (String name : new String[] { "capability.rng", "basictypes.rng", "cputypes.rng" }) {
                try (java.io.InputStream in = SchemaValidator.class.getResourceAsStream("/schemas/libvirt-9.0/" + name)) {
                    java.nio.file.Files.copy(in, dir.resolve(name));
                }
            }
            extracted = dir.resolve("capability.rng").toFile();
            extracted.deleteOnExit();
        }
        return extracted;
    }

    private static java.io.File extracted;

    public static void assertValid(String xml) {
        List<String> errors = errors(xml);
        if (!errors.isEmpty()) {
            fail("not valid against libvirt 9.0's capability.rng: " + errors + "\n" + xml);
        }
    }
}
