package io.tcpgateway.config;

import org.springframework.boot.autoconfigure.preinitialize.BackgroundPreinitializer;
import org.springframework.core.ReactiveAdapterRegistry;

/**
 * Spring MVC's handler adapter asks for the shared {@link ReactiveAdapterRegistry} while the context starts; with
 * Reactor on the class path (Spring Integration and Lettuce bring it) that registry loads about 280 of Reactor's
 * classes on the main thread, a bare web service none. Building it on Boot's background pre-initialisation
 * thread, beside Boot's own pre-initialisers, takes that off the start-up's critical path on a machine with a
 * second core. Registered in {@code META-INF/spring.factories}.
 */
class ReactiveAdaptersPreinitializer implements BackgroundPreinitializer {

    @Override
    public void preinitialize() {
        ReactiveAdapterRegistry.getSharedInstance();
    }
}
