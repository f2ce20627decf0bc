package io.agentvine.controller.persistence;

import io.agentvine.model.WorkOrderState;
import io.micronaut.core.convert.ConversionContext;
import io.micronaut.data.model.runtime.convert.AttributeConverter;
import jakarta.inject.Singleton;

/** A task's state column: the enum in the row, its wire name ({@code queued}, {@code awaiting_approval}) in the table. */
@Singleton
public class StateColumn implements AttributeConverter<WorkOrderState, String> {
    @Override
    public String convertToPersistedValue(WorkOrderState state, ConversionContext context) {
        return state == null ? null : state.wireName();
    }

    @Override
    public WorkOrderState convertToEntityValue(String column, ConversionContext context) {
        return column == null ? null : WorkOrderState.fromWire(column);
    }
}
