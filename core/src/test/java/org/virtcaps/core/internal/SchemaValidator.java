package org.virtcaps.core.internal;

import static org.junit.jupiter.api.Assertions.fail;

import java.io.StringReader;
import java.net.URISyntaxException;
import java.nio.file.Path;
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
            driver.loadSchema(ValidationDriver.fileInputSource(schema().toFile()));
            driver.validate(new InputSource(new StringReader(xml)));
        } catch (Exception e) {
            errors.add(e.toString());
        }
        return errors;
    }

    public static void assertValid(String xml) {
        List<String> errors = errors(xml);
        if (!errors.isEmpty()) {
            fail("not valid against libvirt 9.0's capability.rng: " + errors + "\n" + xml);
        }
    }

    static Path schema() {
        try {
            return Path.of(SchemaValidator.class.getResource("/schemas/libvirt-9.0/capability.rng").toURI());
        } catch (URISyntaxException e) {
            throw new IllegalStateException(e);
        }
    }
}
