package io.memroos.memory.fleet;

import java.io.File;
import java.lang.reflect.Method;
import java.net.URI;
import java.net.URL;
import java.net.URLClassLoader;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;

/**
 * A real in-process Neo4j 5.26 (neo4j-harness) in its own class loader. Neo4j 5.26 is built on Lucene 9.11 and
 * the router on Lucene 9.12, which moved the codec Neo4j writes with out of lucene-core; both cannot share one
 * class loader. This loader sees the test classpath with the router's Lucene jars swapped for the 9.11 ones
 * that the build copies to {@code target/neo4j-lucene}, and nothing of the router. The store under test talks to
 * it over Bolt through the driver, exactly as to a remote server.
 */
final class IsolatedNeo4j implements AutoCloseable {

    private final URLClassLoader loader;
    private final AutoCloseable neo4j;
    private final URI bolt;

    private IsolatedNeo4j(URLClassLoader loader, AutoCloseable neo4j, URI bolt) {
        this.loader = loader;
        this.neo4j = neo4j;
        this.bolt = bolt;
    }

    /** Starts Neo4j with Bolt on a free port and its HTTP server off. */
    static IsolatedNeo4j start() throws Exception {
        Path lucene = Path.of("target", "neo4j-lucene");
        List<URL> urls = new ArrayList<>();
        try (Stream<Path> jars = Files.list(lucene)) {
            for (Path p : jars.filter(p -> p.toString().endsWith(".jar")).toList()) {
                urls.add(p.toUri().toURL());
            }
        }
        if (urls.size() != 4) {
            throw new IllegalStateException("expected the four Lucene 9.11 jars in " + lucene.toAbsolutePath()
                    + " (copied by the build's neo4j-lucene step), found " + urls.size());
        }
        String cp = System.getProperty("surefire.test.class.path", System.getProperty("java.class.path"));
        for (String entry : cp.split(File.pathSeparator)) {
            String name = Path.of(entry).getFileName().toString();
            if (entry.isBlank() || name.startsWith("lucene-") || !name.endsWith(".jar")) {
                continue; // the router's Lucene, and its own classes directories
            }
            urls.add(Path.of(entry).toUri().toURL());
        }
        URLClassLoader loader = new URLClassLoader("neo4j-harness", urls.toArray(URL[]::new),
                ClassLoader.getPlatformClassLoader());
        Thread t = Thread.currentThread();
        ClassLoader before = t.getContextClassLoader();
        t.setContextClassLoader(loader);
        try {
            Class<?> builders = loader.loadClass("org.neo4j.harness.Neo4jBuilders");
            Class<?> configurator = loader.loadClass("org.neo4j.harness.Neo4jConfigurator");
            Class<?> builderType = loader.loadClass("org.neo4j.harness.Neo4jBuilder");
            Class<?> neo4jType = loader.loadClass("org.neo4j.harness.Neo4j");
            Object builder = builders.getMethod("newInProcessBuilder").invoke(null);
            builder = configurator.getMethod("withDisabledServer").invoke(builder);
            Object neo4j = builderType.getMethod("build").invoke(builder);
            Method boltUri = neo4jType.getMethod("boltURI");
            return new IsolatedNeo4j(loader, (AutoCloseable) neo4j, (URI) boltUri.invoke(neo4j));
        } catch (Exception | Error e) {
            loader.close();
            throw e;
        } finally {
            t.setContextClassLoader(before);
        }
    }

    URI boltUri() {
        return bolt;
    }

    @Override
    public void close() throws Exception {
        try {
            neo4j.close();
        } finally {
            loader.close();
        }
    }
}
