package dev.dnsdig.bootstrap;

import io.micrometer.core.instrument.binder.jvm.ClassLoaderMetrics;
import io.micrometer.core.instrument.binder.jvm.JvmGcMetrics;
import io.micrometer.core.instrument.binder.jvm.JvmMemoryMetrics;
import io.micrometer.core.instrument.binder.jvm.JvmThreadMetrics;
import io.micrometer.core.instrument.binder.system.ProcessorMetrics;
import io.micrometer.core.instrument.binder.system.UptimeMetrics;
import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;

/** The meter registry of one server, with the JVM's and the process's meters bound. */
record Metrics(PrometheusMeterRegistry registry, JvmGcMetrics gc) implements AutoCloseable {

    /** A registry per server, not Micrometer's global one: two servers in one JVM (tests) keep apart. */
    static Metrics open() {
        PrometheusMeterRegistry registry = new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);
        new JvmMemoryMetrics().bindTo(registry);
        JvmGcMetrics gc = new JvmGcMetrics();
        gc.bindTo(registry);
        new JvmThreadMetrics().bindTo(registry);
        new ClassLoaderMetrics().bindTo(registry);
        new ProcessorMetrics().bindTo(registry);
        new UptimeMetrics().bindTo(registry);
        return new Metrics(registry, gc);
    }

    /** Stops listening to GC notifications, which would otherwise keep a stopped server's registry alive. */
    @Override
    public void close() {
        gc.close();
        registry.close();
    }
}
