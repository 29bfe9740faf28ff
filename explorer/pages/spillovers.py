import streamlit as st
st.title("spillovers")
