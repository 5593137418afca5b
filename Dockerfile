# tcp-gateway container image.
#   docker build -t tcp-gateway:0.1.0 .
#   docker run -p 9000:9000 -p 8081:8081 -e GATEWAY_ADMIN_PASSWORD=change-me tcp-gateway:0.1.0
# Configuration: mount an application.yml at /app/config/application.yml (Spring Boot reads ./config/
# of the working directory, /app, on top of the defaults packaged in the jar).

# Base images pinned by digest (the tag beside it for people): the same sources give the same image
# until the pin is bumped on purpose (`docker buildx imagetools inspect eclipse-temurin:25-jre` shows the
# current digest; Renovate and Dependabot update such lines).
FROM eclipse-temurin:25-jdk@sha256:97014c4b396021f9ddb7d592a7dbedb0c4e4215c29e03dc01c393558aefb71c2 AS build
WORKDIR /src
# Dependencies first: this layer is rebuilt only when the pom changes.
COPY .mvn/ .mvn/
COPY mvnw pom.xml ./
RUN ./mvnw -B -ntp dependency:go-offline
COPY application.yml ./
COPY src/ src/
RUN ./mvnw -B -ntp package -DskipTests \
    && java -Djarmode=tools -jar target/tcp-gateway.jar extract --layers --destination /layers

FROM eclipse-temurin:25-jre@sha256:5cf92df78f6dba978777d5cffa3c856e583f86814fde82a6c3534ccdfd794f2f
RUN groupadd --system --gid 10001 gateway \
    && useradd --system --uid 10001 --gid gateway --no-create-home --shell /usr/sbin/nologin gateway
WORKDIR /app
# One image layer per Spring Boot layer, least often changed first.
COPY --from=build /layers/dependencies/ ./
COPY --from=build /layers/spring-boot-loader/ ./
COPY --from=build /layers/snapshot-dependencies/ ./
COPY --from=build /layers/application/ ./
# Heap from the container's memory limit; a JVM that runs out of memory exits so the pod restarts.
# After a collection the heap keeps 10-30 % free instead of 40-70 %, so a gateway holding many quiet
# connections gives memory back (the usual container setting; see README, Benchmark).
ENV JAVA_TOOL_OPTIONS="-XX:MaxRAMPercentage=70 -XX:MinHeapFreeRatio=10 -XX:MaxHeapFreeRatio=30 -XX:+ExitOnOutOfMemoryError"
# A training run (Java 25's AOT cache, JEP 514/515): the application starts, its context refreshes, it
# exits, and the JVM keeps the classes it loaded and linked, and their method profiles, in app.aot, which
# every start then maps instead of loading again (docs/benchmark.md, "Start-up").
RUN java -XX:AOTCacheOutput=app.aot -Dspring.context.exit=onRefresh -jar tcp-gateway.jar \
        --server.port=0 --gateway.listeners[0].port=0 --logging.level.root=warn
USER 10001:10001
# 9000: the default chat listener; 8081: the management (actuator) server.
EXPOSE 9000 8081
ENTRYPOINT ["java", "-XX:AOTCache=app.aot", "-jar", "tcp-gateway.jar"]
