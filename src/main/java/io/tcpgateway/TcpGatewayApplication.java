package io.tcpgateway;

import io.tcpgateway.shutdown.ExitZeroOnSigterm;
import org.springframework.boot.SpringApplication;
import org.springframework.boot.autoconfigure.SpringBootApplication;

@SpringBootApplication
public class TcpGatewayApplication {

    public static void main(String[] args) {
        ExitZeroOnSigterm.install();
        SpringApplication.run(TcpGatewayApplication.class, args);
    }
}
