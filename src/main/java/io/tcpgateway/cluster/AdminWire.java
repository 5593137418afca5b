package io.tcpgateway.cluster;

import com.fasterxml.jackson.annotation.JsonSubTypes;
import com.fasterxml.jackson.annotation.JsonTypeInfo;
import io.tcpgateway.admin.AdminCall;
import io.tcpgateway.admin.AdminResult;
import tools.jackson.databind.json.JsonMapper;

/**
 * The JSON of admin calls and results between pods: each names its kind in words
 * ({@code {"call":"kick","id":"c2"}}, {@code {"result":"delivered","delivered":3}}), and only the
 * kinds listed here are read. Kept out of the admin types so the admin API's own JSON stays as the
 * contract shows it.
 */
final class AdminWire {

    private AdminWire() {
    }

    /** The given mapper, taught the admin kinds. */
    static JsonMapper mapper(JsonMapper base) {
        return base.rebuild().addMixIn(AdminCall.class, CallKinds.class).addMixIn(AdminResult.class, ResultKinds.class)
                .build();
    }

    @JsonTypeInfo(use = JsonTypeInfo.Id.NAME, property = "call")
    @JsonSubTypes({ @JsonSubTypes.Type(value = AdminCall.Get.class, name = "get"),
            @JsonSubTypes.Type(value = AdminCall.Kick.class, name = "kick"),
            @JsonSubTypes.Type(value = AdminCall.Replace.class, name = "replace"),
            @JsonSubTypes.Type(value = AdminCall.Send.class, name = "send"),
            @JsonSubTypes.Type(value = AdminCall.Broadcast.class, name = "broadcast"),
            @JsonSubTypes.Type(value = AdminCall.PrincipalConnections.class, name = "principal-connections"),
            @JsonSubTypes.Type(value = AdminCall.SendToPrincipal.class, name = "send-to-principal"),
            @JsonSubTypes.Type(value = AdminCall.KickPrincipal.class, name = "kick-principal"),
            @JsonSubTypes.Type(value = AdminCall.FlushPrincipal.class, name = "flush-principal") })
    private interface CallKinds {
    }

    @JsonTypeInfo(use = JsonTypeInfo.Id.NAME, property = "result")
    @JsonSubTypes({ @JsonSubTypes.Type(value = AdminResult.Found.class, name = "found"),
            @JsonSubTypes.Type(value = AdminResult.Page.class, name = "page"),
            @JsonSubTypes.Type(value = AdminResult.Done.class, name = "done"),
            @JsonSubTypes.Type(value = AdminResult.Delivered.class, name = "delivered"),
            @JsonSubTypes.Type(value = AdminResult.Counted.class, name = "counted"),
            @JsonSubTypes.Type(value = AdminResult.NotFound.class, name = "not-found"),
            @JsonSubTypes.Type(value = AdminResult.BadRequest.class, name = "bad-request"),
            @JsonSubTypes.Type(value = AdminResult.Unavailable.class, name = "unavailable"),
            @JsonSubTypes.Type(value = AdminResult.TimedOut.class, name = "timed-out") })
    private interface ResultKinds {
    }
}
