package io.berth.sample;

import io.berth.model.AclSpec;
import io.berth.model.ConditionSpec;

import java.util.List;

/**
 * Compiles the sample expressions of a configuration. Pure: no I/O. One instance per proxy (it knows that
 * proxy's named ACLs).
 */
public final class SampleCompiler {
    private final List<AclSpec> acls;

    /** @param acls the named ACLs visible to the proxy's rules (frontend's or backend's own) */
    public SampleCompiler(List<AclSpec> acls) {
        this.acls = List.copyOf(acls);
    }

    /** Compiles an {@code if|unless} condition; {@code spec == null} gives {@link Condition#ALWAYS}. */
    public Condition condition(ConditionSpec spec) throws SampleException {
        throw new SampleException("sample engine: being written");
    }

    /** Compiles a log-format string such as {@code %[srv_name]} or {@code server=%s}. */
    public LogFormat logFormat(String text) throws SampleException {
        throw new SampleException("sample engine: being written");
    }

    /** Compiles one fetch expression with converters, e.g. {@code req.cook(SRVID),lower}. */
    public SampleExpr expression(String text) throws SampleException {
        throw new SampleException("sample engine: being written");
    }
}
